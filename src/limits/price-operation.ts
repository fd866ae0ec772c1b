import type { DocumentNode, GraphQLSchema } from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { estimateFieldCost, fieldCostOf } from './field-cost.ts';

/** Bounds the pricing walk itself: fragment fan-out is re-walked per spread. */
export const MAX_PRICED_NODES = 10_000;

export interface PriceInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

const estimator =
  (schema: GraphQLSchema): ComplexityEstimator =>
  ({ field, args, childComplexity }) =>
    estimateFieldCost(fieldCostOf(schema, field), args, childComplexity);

/**
 * The requested cost of one operation with its real variables (`posts(first: $n)` is priced
 * with `$n`), before anything runs. Throws a GraphQLError when the document is too large to
 * price (more than MAX_PRICED_NODES selections walked) or an argument cannot be read.
 */
export function priceOperation({ schema, document, operationName, variables }: PriceInput): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables: (variables ?? {}) as Record<string, unknown>,
    estimators: [estimator(schema)],
    maxQueryNodes: MAX_PRICED_NODES,
  });
}
