import {
  type DirectiveNode,
  type DocumentNode,
  getNamedType,
  type GraphQLSchema,
  isCompositeType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

// An operation's HTTP cache policy from the schema's @cacheControl hints, computed once per parsed
// document instead of per resolved field (Apollo's cache-control plugin hooks every field
// resolver, 10-19% of server CPU per request in bench/). Same rules as Apollo's plugin for
// static hints:
//
// | field                                              | maxAge                         |
// |----------------------------------------------------|--------------------------------|
// | has @cacheControl(maxAge:) (wins over the type's)  | that                           |
// | returns an object/interface/union with a hint      | the type's                     |
// | returns such a type without a hint, or is a root   | 0 (the default: not cacheable) |
// | a scalar or enum below the root, without a hint    | no constraint (inherits)       |
//
// The response's max-age is the smallest over every field the operation selects (skipped ones
// included: conservative); one PRIVATE hint makes it private. Mutations are never cacheable.
//
// The header (cacheControlHeader) for a successful read:
//
// | policy            | anonymous, no client budget | Authorization sent, or a client budget on |
// |-------------------|-----------------------------|-------------------------------------------|
// | maxAge N > 0      | max-age=N, public           | max-age=N, private                        |
// | maxAge 0          | no-cache, public            | no-cache, private                         |
// | scope PRIVATE     | ..., private                | ..., private                              |
//
// `no-cache` lets a cache keep the response but not reuse it without asking the server again, so
// a read after a write sees the write. Everything else (mutations, errors, traces) is `no-store`.

export interface CachePolicy {
  readonly maxAge: number;
  readonly scope: 'PUBLIC' | 'PRIVATE';
}

export const NOT_CACHEABLE: CachePolicy = Object.freeze({ maxAge: 0, scope: 'PUBLIC' });

interface Hint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
}

function hintOf(directives: readonly DirectiveNode[] | undefined): Hint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive) return undefined;
  const hint: Hint = {};
  for (const argument of directive.arguments ?? []) {
    if (argument.name.value === 'maxAge' && argument.value.kind === Kind.INT) hint.maxAge = Number(argument.value.value);
    if (argument.name.value === 'scope' && argument.value.kind === Kind.ENUM) hint.scope = argument.value.value as Hint['scope'];
  }
  return hint;
}

export function computeCachePolicy(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): CachePolicy {
  // A write's response describes that write: never reused, whatever its payload's hints say.
  if (operation.operation !== 'query') return NOT_CACHEABLE;
  let maxAge = Infinity;
  let scope: CachePolicy['scope'] = 'PUBLIC';
  const typeInfo = new TypeInfo(schema);
  // Fragments are walked where they are spread (below), so only this operation's fields count.
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const visitedFragments = new Set<string>();
  let depth = 0;
  const visitor = visitWithTypeInfo(typeInfo, {
    Field: {
      enter() {
        depth++;
        const field = typeInfo.getFieldDef();
        if (!field) return;
        const returned = getNamedType(field.type);
        const hint =
          hintOf(field.astNode?.directives) ??
          (isCompositeType(returned) ? hintOf(returned.astNode?.directives) : undefined);
        if (hint?.scope === 'PRIVATE') scope = 'PRIVATE';
        if (hint?.maxAge !== undefined) maxAge = Math.min(maxAge, hint.maxAge);
        else if (isCompositeType(returned) || depth === 1) maxAge = 0;
      },
      leave() {
        depth--;
      },
    },
  });
  const withFragments: typeof visitor = {
    ...visitor,
    FragmentSpread: (spread) => {
      const fragment = fragments.get(spread.name.value);
      if (!fragment || visitedFragments.has(spread.name.value)) return;
      visitedFragments.add(spread.name.value);
      // The fragment's fields count where it is spread: walk it as an inline fragment right here.
      visit({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, selectionSet: fragment.selectionSet }, withFragments);
    },
  };
  visit(operation, withFragments);
  return maxAge === Infinity || maxAge <= 0 ? { maxAge: 0, scope } : { maxAge, scope };
}

/**
 * Request headers that change a read's response: the viewer and client budget (Authorization),
 * content negotiation (Accept), and the developer switches that add a trace or change execution.
 * A shared cache must key on them; the client address, which budgets also key on, it cannot: a
 * response with a budget in it is private instead.
 */
export const VARY_HEADERS = 'Accept, Authorization, X-Inkql-Trace, X-Inkql-Debug-Token, X-Inkql-Explain, X-Inkql-Batching';

/**
 * The `Cache-Control` of a successful read. `perClient`: the request carried Authorization or the
 * response carries the client's own budget (x-ratelimit-*, extensions.cost.throttleStatus), so no
 * shared cache may hand it to anyone else.
 */
export function cacheControlHeader(policy: CachePolicy, perClient: boolean): string {
  const scope = perClient || policy.scope === 'PRIVATE' ? 'private' : 'public';
  return policy.maxAge > 0 ? `max-age=${policy.maxAge}, ${scope}` : `no-cache, ${scope}`;
}
