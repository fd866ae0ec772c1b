import { getDirectiveValues, getNamedType, getNullableType, type GraphQLField, isLeafType, isListType, type GraphQLSchema } from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../pagination/connection-args.ts';

// What one field costs, as declared in schema.graphql:
//
//   posts(first: Int, last: Int ...): PostConnection! @complexity(value: 2, multipliers: ["first", "last"])
//
//   object field (a connection):  value + n × cost(children)      posts(first: 10) { nodes { title } } = 2 + 10 × 1
//   list field:                   n × (value + cost(children))    nodes(ids: [a, b]) { id }            = 2 × (1 + 0)
//
// n is the first present argument named in `multipliers` (a number, or a list's length), the
// default page size when none is present, and 1 for a list without multipliers (Post.tags is
// priced as one tag: its real length is paid for afterwards, in the actual cost). Undeclared fields cost
// DEFAULT_OBJECT_COST when they return an object or a list and DEFAULT_LEAF_COST for a scalar,
// like Shopify's calculator. `__*` (introspection) fields cost nothing, so GraphiQL always works.

export const COMPLEXITY_DIRECTIVE = 'complexity';
export const DEFAULT_OBJECT_COST = 1;
export const DEFAULT_LEAF_COST = 0;

export interface FieldCost {
  readonly value: number;
  readonly multipliers?: readonly string[];
  /** A list pays `value` per item; an object pays it once and multiplies its children. */
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
    cost = { value: declared.value as number, multipliers: (declared.multipliers as string[] | null) ?? undefined, list };
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
  return cost.list ? n * (cost.value + childCost) : cost.value + n * childCost;
}

/** How many items a field is priced for, given its coerced arguments. */
export function multiplierOf(cost: FieldCost, args: Readonly<Record<string, unknown>>): number {
  if (!cost.multipliers || cost.multipliers.length === 0) return 1;
  for (const name of cost.multipliers) {
    const value = args[name];
    // A negative page size is rejected by the resolver; it must not make the price negative first.
    if (typeof value === 'number') return Math.max(0, value);
    if (Array.isArray(value)) return value.length;
  }
  return DEFAULT_PAGE_SIZE;
}
