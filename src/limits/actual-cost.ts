import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { fieldCostOf } from './field-cost.ts';

export interface ActualCostInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  /** The response's `data`. */
  readonly data: unknown;
}

interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

/**
 * What an operation really cost: the same prices as `priceOperation` (field-cost.ts), but each
 * list pays for the items it returned instead of the items it asked for (a connection of
 * `first: 100` that returned 3 nodes pays for 3), Shopify's `actualQueryCost`.
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
  return selectionCost({ schema, fragments }, root, operation.selectionSet, data as Record<string, unknown>, new Set(), new Set());
}

/**
 * `counted` holds the response keys of this object already paid for, so a key selected by two
 * fragments (`... on Author { name } ... on Tag { name }`) is paid once.
 */
function selectionCost(
  walk: Walk,
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  value: Record<string, unknown>,
  counted: Set<string>,
  activeFragments: Set<string>,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (counted.has(key) || !(key in value)) continue;
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      if (selection.name.value.startsWith('__')) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      counted.add(key);
      const cost = fieldCostOf(walk.schema, field);
      total += fieldActualCost(walk, cost.value, getNamedType(field.type), selection.selectionSet, value[key]);
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
      if (name && activeFragments.has(name)) continue;
      const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition) continue;
      if (name) activeFragments.add(name);
      total += selectionCost(walk, condition, fragment.selectionSet, value, counted, activeFragments);
      if (name) activeFragments.delete(name);
    }
  }
  return total;
}

/** A list pays `value` per item it returned; anything else pays it once. */
function fieldActualCost(
  walk: Walk,
  value: number,
  type: GraphQLNamedType,
  selectionSet: SelectionSetNode | undefined,
  result: unknown,
): number {
  if (Array.isArray(result)) {
    let total = 0;
    for (const item of result) total += fieldActualCost(walk, value, type, selectionSet, item);
    return total;
  }
  if (result === null || result === undefined || !selectionSet || typeof result !== 'object') return value;
  return value + selectionCost(walk, type, selectionSet, result as Record<string, unknown>, new Set(), new Set());
}
