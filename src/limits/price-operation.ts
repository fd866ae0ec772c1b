import { type DocumentNode, type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { ByteLru, stringBytes } from '../cache/byte-lru.ts';
import { estimateFieldCost, fieldCostOf } from './field-cost.ts';

/** Bounds the pricing walk itself: fragment fan-out is re-walked per spread. */
export const MAX_PRICED_NODES = 10_000;
/** Bytes of remembered prices per schema (keys counted as stored). */
export const PRICE_CACHE_BYTES = 1024 * 1024;
/** A memo key longer than this (big variable values) is not remembered: the walk is cheaper than keeping it. */
export const MAX_PRICE_KEY_LENGTH = 1024;
/** A Map slot and a number beside each key. */
const PRICE_ENTRY_BYTES = 64;

export interface PriceInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  /**
   * Apollo's hash of the document's source. With it the price is remembered, keyed by the hash,
   * the operation name and the values of the variables the operation declares (only they can
   * change a price); without it the operation is priced afresh.
   */
  readonly queryHash?: string;
}

const estimator =
  (schema: GraphQLSchema): ComplexityEstimator =>
  ({ field, args, childComplexity }) =>
    estimateFieldCost(fieldCostOf(schema, field), args, childComplexity);

const pricesBySchema = new WeakMap<GraphQLSchema, ByteLru<number>>();

/**
 * The requested cost of one operation with its real variables (`posts(first: $n)` is priced
 * with `$n`), before anything runs. Throws a GraphQLError when the document is too large to
 * price (more than MAX_PRICED_NODES selections walked) or an argument cannot be read.
 */
export function priceOperation({ schema, document, operationName, variables, queryHash }: PriceInput): number {
  // A repeated query is priced once per set of variables (a walk costs 0.1-0.3 ms; the lookup a few µs).
  const key = queryHash === undefined ? undefined : priceKey(document, queryHash, operationName, variables);
  let prices = pricesBySchema.get(schema);
  if (key !== undefined) {
    const known = prices?.get(key);
    if (known !== undefined) return known;
  }
  const price = walkPrice(schema, document, operationName, variables);
  if (key !== undefined) {
    if (!prices) pricesBySchema.set(schema, (prices = new ByteLru(PRICE_CACHE_BYTES, (_, k) => stringBytes(k) + PRICE_ENTRY_BYTES)));
    prices.set(key, price);
  }
  return price;
}

/** The memo key, or undefined when it would be longer than MAX_PRICE_KEY_LENGTH. */
export function priceKey(
  document: DocumentNode,
  queryHash: string,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string | undefined {
  const declared: Record<string, unknown> = {};
  for (const definition of selectedOperation(document, operationName)?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables && Object.hasOwn(variables, name)) declared[name] = variables[name];
  }
  // GraphQL names never hold a NUL, so the key is unambiguous.
  const key = `${queryHash}\u0000${operationName ?? ''}\u0000${JSON.stringify(declared)}`;
  return key.length <= MAX_PRICE_KEY_LENGTH ? key : undefined;
}

function selectedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operationName) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((operation) => operation.name?.value === operationName);
}

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
