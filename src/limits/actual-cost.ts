import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { fieldCostOf, valuePerItem } from './field-cost.ts';

export interface ActualCostInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  /** The response's `data`. */
  readonly data: unknown;
}

/** One response key of a selection set, with fragments flattened: what it costs and what is under it. */
interface PlannedField {
  readonly key: string;
  readonly value: number;
  /** A list without assumedSize pays `value` per item; a list with one pays it once, its items' children each. */
  readonly perItem: boolean;
  readonly type: GraphQLNamedType;
  readonly selectionSet: SelectionSetNode | undefined;
  /** The plan of the selection under this field, built on first use. */
  children?: readonly PlannedField[];
}

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

// Apollo keeps parsed documents, so plans keyed by their selection-set nodes are reused by every
// request of the same operation: the walk over the data then does no schema lookups.
const plans = new WeakMap<SelectionSetNode, Map<string, readonly PlannedField[]>>();

/**
 * What an operation really cost: the same prices as `priceOperation` (field-cost.ts), but each
 * list pays for the items it returned instead of the items it asked for (a connection of
 * `first: 100` that returned 3 nodes pays for 3, a post's tags for the tags it has), Shopify's
 * `actualQueryCost`.
 */
export function computeActualCost({ schema, document, operationName, data }: ActualCostInput): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation || data === null || typeof data !== 'object') return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return objectCost(schema, fragments, planOf(schema, fragments, root, operation.selectionSet), data as Record<string, unknown>);
}

function objectCost(schema: GraphQLSchema, fragments: Fragments, plan: readonly PlannedField[], object: Record<string, unknown>): number {
  let total = 0;
  for (const field of plan) {
    const result = object[field.key];
    if (result !== undefined) total += resultCost(schema, fragments, field, result);
  }
  return total;
}

/** A list pays `value` per item it returned (or once, with assumedSize) and each item's children; anything else pays it once. */
function resultCost(schema: GraphQLSchema, fragments: Fragments, field: PlannedField, result: unknown): number {
  if (Array.isArray(result)) {
    if (field.perItem) {
      let total = 0;
      for (const item of result) total += resultCost(schema, fragments, field, item);
      return total;
    }
    let total = field.value;
    for (const item of result) total += childrenCost(schema, fragments, field, item);
    return total;
  }
  return field.value + childrenCost(schema, fragments, field, result);
}

function childrenCost(schema: GraphQLSchema, fragments: Fragments, field: PlannedField, result: unknown): number {
  if (result === null || typeof result !== 'object' || !field.selectionSet) return 0;
  field.children ??= planOf(schema, fragments, field.type, field.selectionSet);
  return objectCost(schema, fragments, field.children, result as Record<string, unknown>);
}

function planOf(schema: GraphQLSchema, fragments: Fragments, type: GraphQLNamedType, selectionSet: SelectionSetNode): readonly PlannedField[] {
  let byType = plans.get(selectionSet);
  if (!byType) plans.set(selectionSet, (byType = new Map()));
  let plan = byType.get(type.name);
  if (!plan) {
    const planned = new Map<string, PlannedField>();
    collect(schema, fragments, type, selectionSet, planned, new Set());
    byType.set(type.name, (plan = [...planned.values()]));
  }
  return plan;
}

/**
 * Flattens fields and fragments into one entry per response key; a key selected twice (by two
 * fragments, `... on Author { name } ... on Tag { name }`) is paid once. `__*` fields are free.
 */
function collect(
  schema: GraphQLSchema,
  fragments: Fragments,
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  planned: Map<string, PlannedField>,
  activeFragments: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (planned.has(key) || selection.name.value.startsWith('__') || !('getFields' in type)) continue;
      const field = type.getFields()[selection.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!field) continue;
      const cost = fieldCostOf(schema, field);
      planned.set(key, { key, value: cost.value, perItem: valuePerItem(cost), type: getNamedType(field.type), selectionSet: selection.selectionSet });
    } else {
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
      const fragment = name !== undefined ? fragments.get(name) : selection.kind === Kind.INLINE_FRAGMENT ? selection : undefined;
      if (!fragment || (name && activeFragments.has(name))) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition) continue;
      if (name) activeFragments.add(name);
      collect(schema, fragments, condition, fragment.selectionSet, planned, activeFragments);
      if (name) activeFragments.delete(name);
    }
  }
}
