import { type ASTNode, GraphQLError } from 'graphql';

export type StructuralLimit = 'depth' | 'aliases' | 'directives';

/**
 * A document over a structural limit. Apollo reports validation errors with code
 * GRAPHQL_VALIDATION_FAILED and HTTP 400; `extensions.limit` says which limit, with the maximum
 * and what the document had.
 */
export function limitError(limit: StructuralLimit, message: string, maximum: number, actual: number, nodes?: readonly ASTNode[]): GraphQLError {
  return new GraphQLError(message, { nodes, extensions: { limit, maximum, actual } });
}
