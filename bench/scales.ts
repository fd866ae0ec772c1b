import type { BlogSize } from '../src/db/generate-blog.ts';

// The data sizes of the scale curve. Posts per author stay at 100 so that the nested page of
// scenario C always has more posts than it shows, whatever the size.
//
// | name | posts     | authors | tags |
// |------|-----------|---------|------|
// | 1k   | 1,000     | 10      | 50   |
// | 10k  | 10,000    | 100     | 50   |
// | 100k | 100,000   | 1,000   | 50   |
// | 1m   | 1,000,000 | 10,000  | 50   | (--full only)

export interface Scale {
  readonly name: string;
  readonly size: BlogSize;
}

export const POSTS_PER_AUTHOR = 100;
export const TAG_COUNT = 50;

function scale(name: string, posts: number): Scale {
  return { name, size: { posts, authors: posts / POSTS_PER_AUTHOR, tags: TAG_COUNT } };
}

export const SCALES: readonly Scale[] = [scale('1k', 1_000), scale('10k', 10_000), scale('100k', 100_000), scale('1m', 1_000_000)];
export const DEFAULT_SCALES = ['1k', '10k', '100k'] as const;
/** The size the modes are compared at (the one the speed targets refer to). */
export const MAIN_SCALE = '100k';

export function findScale(name: string): Scale {
  const found = SCALES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown scale ${JSON.stringify(name)}: expected one of ${SCALES.map((s) => s.name).join(', ')}`);
  return found;
}
