import { authorPostCountKey, STATS_KEY, tagPostCountKey } from './cache-keys.ts';

// Which keys a write makes stale: exactly these, no more (a wider net would hide a missing rule
// from the tests), no fewer (a read after a write must never see an old count).

export interface PostWrite {
  /** The author whose post count changed (create, delete), if it did. */
  readonly authorId?: number;
  /** Tags whose post count changed: added or removed ones, not those the post kept. */
  readonly tagIds: readonly number[];
  /** Whether any aggregate in `stats` moved (post count, words, tags, top tags). */
  readonly statsChanged: boolean;
}

export function staleKeys(write: PostWrite): string[] {
  const keys: string[] = [];
  if (write.authorId !== undefined) keys.push(authorPostCountKey(write.authorId));
  for (const tagId of new Set(write.tagIds)) keys.push(tagPostCountKey(tagId));
  if (write.statsChanged) keys.push(STATS_KEY);
  return keys;
}

/** Tags in one list and not the other: the only ones whose counts an update changed. */
export function changedTagIds(before: readonly number[], after: readonly number[]): number[] {
  const a = new Set(before);
  const b = new Set(after);
  return [...before.filter((id) => !b.has(id)), ...after.filter((id) => !a.has(id))];
}
