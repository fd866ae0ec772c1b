// Every cache key, in one place. Values are JSON; the namespace (INKQL_CACHE_NAMESPACE) is
// added by the store, so several deployments or test files can share one Redis.
//
// | family            | key                      | value                        | stale after              |
// |-------------------|--------------------------|------------------------------|--------------------------|
// | stats             | stats:v1                 | StatsSnapshot (date as ISO)  | any post write           |
// | authorPostCount   | author-post-count:v1:<id>| number                       | create/delete by author  |
// | tagPostCount      | tag-post-count:v1:<id>   | number                       | a post gains/loses tag   |
// | apq               | apq-text:apq:<sha256>    | query text (apq-cache.ts)    | never; oldest evicted beyond INKQL_APQ_MAX_BYTES |
//
// Bump the `v1` of a family when its value's shape changes, so old entries are never misread.
// In Redis, each key invalidated lately also has a generation beside it, `gen:<key>`
// (redis-value-store.ts).

export const CACHE_FAMILIES = ['stats', 'authorPostCount', 'tagPostCount', 'apq'] as const;
export type CacheFamily = (typeof CACHE_FAMILIES)[number];

/** Invalidation keeps counts exact; the TTL only bounds the damage of a missed invalidation. */
export const COUNT_TTL_MS = 10 * 60 * 1000;
export const STATS_TTL_MS = 10 * 60 * 1000;
/** Persisted queries are content-addressed and never stale; the TTL keeps unused ones from piling up. */
export const APQ_TTL_SECONDS = 24 * 60 * 60;

export const STATS_KEY = 'stats:v1';

export function authorPostCountKey(authorId: number): string {
  return `author-post-count:v1:${authorId}`;
}

export function tagPostCountKey(tagId: number): string {
  return `tag-post-count:v1:${tagId}`;
}
