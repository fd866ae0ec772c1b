import { getDirectiveValues, getNamedType, getNullableType, type GraphQLField, isLeafType, isListType, type GraphQLSchema } from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../pagination/connection-args.ts';

// What one field costs, as declared in schema.graphql:
//
//   posts(first: Int, last: Int ...): PostConnection! @complexity(value: 2, multipliers: ["first", "last"])
//   tags: [Tag!]! @complexity(value: 1, assumedSize: 10)
//
//   object field (a connection):   value + n × cost(children)     posts(first: 10) { nodes { title } } = 2 + 10 × 1
//   list with an assumedSize:      value + n × cost(children)     tags { posts(first: 5) { nodes { id } } } = 1 + 10 × (2 + 5)
//   other list field:              n × (value + cost(children))   nodes(ids: [a, b]) { id }            = 2 × (1 + 0)
//
// n is the first present argument named in `multipliers` (a number, or a list's length); else the
// field's `assumedSize`, the most items it can hold (IBM's @listSize name: a post has at most
// MAX_TAGS tags), fetched in one batch like a page of that size; else the default page size for a
// field with multipliers, and 1 for a list without. The actual cost (actual-cost.ts) uses the same
// prices over the items really returned, so it never exceeds the estimate of a list that keeps to
// its bound; when it does exceed it, the client's budget is charged the difference. Undeclared
// fields cost DEFAULT_OBJECT_COST when they return an object or a list and DEFAULT_LEAF_COST for a
// scalar, like Shopify's calculator. `__*` (introspection) fields cost nothing, so GraphiQL always works.

export const COMPLEXITY_DIRECTIVE = 'complexity';
export const DEFAULT_OBJECT_COST = 1;
export const DEFAULT_LEAF_COST = 0;

export interface FieldCost {
  readonly value: number;
  readonly multipliers?: readonly string[];
  /** The most items the list can hold, priced when no multiplier argument is present. */
  readonly assumedSize?: number;
  /** A list without `assumedSize` pays `value` per item; anything else pays it once and multiplies its children. */
  readonly list: boolean;
}

const FREE: FieldCost = { value: 0, list: false };
const declaredCosts = new WeakMap<GraphQLField<unknown, unknown>, FieldCost>();

/** The declared (or default) cost of a field definition; memoised per schema field. */
export function fieldCostOf(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): FieldCost {
  if (field.name.startsWith('__')) return FREE;
  let cost = declaredCosts.get(field);
  if (cost) return cost;
  const directive = schema.getDirective(COMPLEXITY_DIRECTIVE);
  const declared = directive && field.astNode ? getDirectiveValues(directive, field.astNode) : undefined;
  const list = isListType(getNullableType(field.type));
  if (declared) {
    cost = {
      value: declared.value as number,
      multipliers: (declared.multipliers as string[] | null) ?? undefined,
      assumedSize: (declared.assumedSize as number | null) ?? undefined,
      list,
    };
  } else {
    cost = { value: isLeafType(getNamedType(field.type)) ? DEFAULT_LEAF_COST : DEFAULT_OBJECT_COST, list };
  }
  declaredCosts.set(field, cost);
  return cost;
}

/** The estimated cost of one field from its arguments and its children's estimated cost. */
export function estimateFieldCost(cost: FieldCost, args: Readonly<Record<string, unknown>>, childCost: number): number {
  if (cost === FREE) return 0;
  const n = multiplierOf(cost, args);
  return valuePerItem(cost) ? n * (cost.value + childCost) : cost.value + n * childCost;
}

/** Whether a field's `value` is paid per item (a list without assumedSize) rather than once. */
export function valuePerItem(cost: FieldCost): boolean {
  return cost.list && cost.assumedSize === undefined;
}

/** How many items a field is priced for, given its coerced arguments. */
export function multiplierOf(cost: FieldCost, args: Readonly<Record<string, unknown>>): number {
  for (const name of cost.multipliers ?? []) {
    const value = args[name];
    // A negative page size is rejected by the resolver; it must not make the price negative first.
    if (typeof value === 'number') return Math.max(0, value);
    if (Array.isArray(value)) return value.length;
  }
  if (cost.assumedSize !== undefined) return Math.max(0, cost.assumedSize);
  return cost.multipliers && cost.multipliers.length > 0 ? DEFAULT_PAGE_SIZE : 1;
}
