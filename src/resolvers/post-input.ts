import { badUserInput } from '../errors.ts';
import { isPostgresText } from '../text-argument.ts';

// The rules a post must satisfy before anything is written. Pure, so every bad input is tested
// without a database; a violation is BAD_USER_INPUT naming the field (`input.title`).

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 100_000;
export const MAX_TAGS = 10;
export const TAG_NAME_PATTERN = /^[a-z0-9-]{1,40}$/;

export interface PostFields {
  readonly title?: string;
  readonly body?: string;
  /** Distinct tag names in the order given. */
  readonly tags?: readonly string[];
}

/** Characters as people count them: a code point, so an emoji is one, not two UTF-16 units. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function checkText(field: string, value: string, max: number): string {
  const n = length(value);
  if (n < 1 || n > max || value.trim() === '') {
    throw badUserInput(`Field "${field}" must be 1 to ${max} characters and not blank, got ${n} characters`, field);
  }
  if (!isPostgresText(value)) throw badUserInput(`Field "${field}" must not contain a NUL character (U+0000)`, field);
  return value;
}

function checkTags(field: string, names: readonly string[]): string[] {
  if (names.length > MAX_TAGS) throw badUserInput(`Field "${field}" may hold at most ${MAX_TAGS} tags, got ${names.length}`, field);
  for (const name of names) {
    if (!TAG_NAME_PATTERN.test(name)) {
      throw badUserInput(`Field "${field}" holds an invalid tag name ${JSON.stringify(name)}: expected ${TAG_NAME_PATTERN.source}`, field);
    }
  }
  return [...new Set(names)];
}

/** A field that may be left out, but not set to null (the column has a value). */
function present<T>(field: string, value: T | null | undefined): T | undefined {
  if (value === null) throw badUserInput(`Field "${field}" may be left out but not null`, field);
  return value;
}

export function parseCreatePost(input: { title: string; body: string; tags?: readonly string[] | null }): Required<PostFields> {
  return {
    title: checkText('input.title', input.title, MAX_TITLE_LENGTH),
    body: checkText('input.body', input.body, MAX_BODY_LENGTH),
    tags: checkTags('input.tags', present('input.tags', input.tags) ?? []),
  };
}

export function parseUpdatePost(input: { title?: string | null; body?: string | null; tags?: readonly string[] | null }): PostFields {
  const title = present('input.title', input.title);
  const body = present('input.body', input.body);
  const tags = present('input.tags', input.tags);
  if (title === undefined && body === undefined && tags === undefined) {
    throw badUserInput('Give at least one of "input.title", "input.body" or "input.tags" to change', 'input');
  }
  return {
    ...(title !== undefined ? { title: checkText('input.title', title, MAX_TITLE_LENGTH) } : {}),
    ...(body !== undefined ? { body: checkText('input.body', body, MAX_BODY_LENGTH) } : {}),
    ...(tags !== undefined ? { tags: checkTags('input.tags', tags) } : {}),
  };
}
