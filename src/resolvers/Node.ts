import type { NodeResolvers } from './types.generated.ts';

export const Node: NodeResolvers = {
  // Rows carry no type tag; their columns tell them apart (every loader selects these).
  __resolveType: (row) => ('author_id' in row ? 'Post' : 'bio' in row ? 'Author' : 'Tag'),
};
