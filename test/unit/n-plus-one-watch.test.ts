import { describe, expect, it } from 'vitest';
import { createNPlusOneWatch } from '../../src/metrics/n-plus-one-watch.ts';

const AUTHOR_SQL = 'select "id", "name" from "authors" where "id" = any($1)';
const TAGS_SQL = 'select "tags"."name" from "tags" where "post_id" = any($1)';

/** A naive request: one author and one tags statement per post of a page. */
function naivePage(posts: number) {
  return Array.from({ length: posts }, (_, i) => [
    { sql: AUTHOR_SQL, field: 'Post.author', path: `posts.nodes.${i}.author` },
    { sql: TAGS_SQL, field: 'Post.tags', path: `posts.nodes.${i}.tags` },
  ]).flat();
}

function watchWithClock() {
  let now = 0;
  const warnings: { object: Record<string, unknown>; message: string }[] = [];
  const detections: [string, number][] = [];
  const watch = createNPlusOneWatch({
    logger: { warn: (object, message) => warnings.push({ object: object as Record<string, unknown>, message }) },
    onDetection: (field, count) => detections.push([field, count]),
    intervalMs: 60_000,
    now: () => now,
  });
  return { watch, warnings, detections, advance: (ms: number) => (now += ms) };
}

describe('createNPlusOneWatch', () => {
  it('reports each field that repeated its statement per row, with the count', () => {
    const { watch, detections, warnings } = watchWithClock();
    watch(naivePage(20), 'Page');
    expect(detections.sort()).toEqual([
      ['Post.author', 20],
      ['Post.tags', 20],
    ]);
    expect(warnings.map((w) => w.message).sort()).toEqual([
      'N+1 on Post.author: one request ran the same statement 20 times',
      'N+1 on Post.tags: one request ran the same statement 20 times',
    ]);
    expect(warnings[0]!.object).toMatchObject({ count: 20, operationName: 'Page' });
  });

  it('reports nothing for a batched request', () => {
    const { watch, detections, warnings } = watchWithClock();
    watch(
      [
        { sql: 'select * from posts', field: 'Query.posts', path: 'posts' },
        { sql: AUTHOR_SQL, field: 'Post.author', path: 'posts.nodes.0.author' },
        { sql: TAGS_SQL, field: 'Post.tags', path: 'posts.nodes.0.tags' },
      ],
      undefined,
    );
    expect(detections).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('logs a field at most once per interval, then says how many requests repeated it meanwhile', () => {
    const { watch, detections, warnings, advance } = watchWithClock();
    watch(naivePage(3), 'Page');
    advance(10_000);
    watch(naivePage(5), 'Page');
    advance(10_000);
    watch(naivePage(4), 'Page');
    expect(detections).toHaveLength(6);
    expect(warnings).toHaveLength(2);
    advance(40_000);
    watch(naivePage(2), 'Page');
    expect(warnings).toHaveLength(4);
    const author = warnings.filter((w) => w.object.field === 'Post.author');
    expect(author[1]!.message).toBe(
      'N+1 on Post.author: one request ran the same statement 2 times (3 requests with it since the last report, up to 5 times)',
    );
    expect(author[1]!.object).toMatchObject({ requests: 3, maxCount: 5, count: 2 });
  });
});
