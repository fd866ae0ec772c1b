import type { Migration } from 'kysely/migration';
import * as createBlog from './2026-11-25T00-00_create_blog.ts';
import * as createApiTokens from './2026-11-25T01-00_create_api_tokens.ts';
import * as postTagLists from './2026-12-01T00-00_post_tag_lists.ts';

// Every migration, by name, in the order they were written. A static list (not a folder scan)
// so that the same migrations load under node, tsx and vitest alike.
export const migrations: Record<string, Migration> = {
  '2026-11-25T00-00_create_blog': createBlog,
  '2026-11-25T01-00_create_api_tokens': createApiTokens,
  '2026-12-01T00-00_post_tag_lists': postTagLists,
};
