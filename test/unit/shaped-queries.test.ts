import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { shapedQueries } from '../../src/db/shaped-query.ts';

describe('shapedQueries', () => {
  const build = () => sql<{ one: number }>`select 1 as one`;

  it('keeps one statement per shape', () => {
    const shapes = shapedQueries<{ one: number }>(2);
    expect(shapes('a', build)).toBe(shapes('a', build));
    expect(shapes('b', build)).not.toBe(shapes('a', build));
  });

  it('keeps no more shapes than its bound: a later shape is built for its call alone', () => {
    const shapes = shapedQueries<{ one: number }>(2);
    const a = shapes('a', build);
    shapes('b', build);
    expect(shapes('c', build)).not.toBe(shapes('c', build));
    expect(shapes('a', build)).toBe(a);
  });
});
