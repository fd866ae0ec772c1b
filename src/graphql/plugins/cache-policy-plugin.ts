import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import { cacheControlHeader, type CachePolicy, computeCachePolicy, VARY_HEADERS } from '../../cache/cache-policy.ts';
import type { Context } from '../../context.ts';

/**
 * Sets `Cache-Control` (cache/cache-policy.ts's cacheControlHeader) and `Vary` on a successful read from
 * the operation's @cacheControl hints, computed once per parsed document: Apollo reuses parsed
 * documents, so a repeated query costs a map lookup. Responses left without the header (errors,
 * mutations) get `no-store` from the server; traced ones already have it.
 */
export function createCachePolicyPlugin(): ApolloServerPlugin<Context> {
  const policies = new WeakMap<DocumentNode, Map<string, CachePolicy>>();
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, operation, schema, contextValue, request }) {
          if (response.http.headers.has('cache-control') || contextValue.trace.shown || !document || operation?.operation !== 'query') return;
          if (response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0) return;
          let byOperation = policies.get(document);
          if (!byOperation) policies.set(document, (byOperation = new Map()));
          const name = operation.name?.value ?? '';
          let policy = byOperation.get(name);
          if (!policy) byOperation.set(name, (policy = computeCachePolicy(schema, document, operation)));
          // The budget is set before execution when budgets are on; the cost plugin adds its headers later.
          const perClient = contextValue.cost.budget !== undefined || !!request.http?.headers.get('authorization');
          response.http.headers.set('cache-control', cacheControlHeader(policy, perClient));
          response.http.headers.set('vary', VARY_HEADERS);
        },
      };
    },
  };
}
