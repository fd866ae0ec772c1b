import type { DocumentNode, GraphQLSchema } from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { estimateFieldCost, fieldCostOf } from './field-cost.ts';

/** Bounds the pricing walk itself: fragment fan-out is re-walked per spread. */
export const MAX_PRICED_NODES = 10_000;
/** Prices remembered per parsed document (one per operation name and variables). */
export const PRICES_PER_DOCUMENT = 64;

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
  // Apollo reuses the parsed document of a repeated query, so its price for the same variables
  // is computed once (a walk costs 0.1-0.3 ms; the lookup a few µs).
  let prices = pricesByDocument.get(document);
  if (!prices) pricesByDocument.set(document, (prices = new Map()));
  const key = `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}`;
  const known = prices.get(key);
  if (known !== undefined) return known;
  const price = walkPrice(schema, document, operationName, variables);
  if (prices.size >= PRICES_PER_DOCUMENT) prices.delete(prices.keys().next().value as string);
  prices.set(key, price);
  return price;
}

const pricesByDocument = new WeakMap<DocumentNode, Map<string, number>>();

function walkPrice(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables: (variables ?? {}) as Record<string, unknown>,
    estimators: [estimator(schema)],
    maxQueryNodes: MAX_PRICED_NODES,
  });
}
