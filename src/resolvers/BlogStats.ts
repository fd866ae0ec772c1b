import { MAX_TOP_TAGS } from '../db/compute-stats.ts';
import { badUserInput } from '../errors.ts';
import type { BlogStatsResolvers } from './types.generated.ts';

export const BlogStats: BlogStatsResolvers = {
  topTags: (stats, { limit }) => {
    const count = limit ?? 10;
    if (!Number.isInteger(count) || count < 1 || count > MAX_TOP_TAGS) {
      throw badUserInput(`Argument "limit" must be between 1 and ${MAX_TOP_TAGS}, got ${count}`, 'limit');
    }
    return stats.topTags.slice(0, count);
  },
};
