import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode } from 'graphql';
import type { Context } from '../context.ts';
import { type CachePolicy, computeCachePolicy } from './cache-policy.ts';

/**
 * Sets `Cache-Control: max-age=N, public|private` on a successful response from the operation's
 * @cacheControl hints (cache-policy.ts), computed once per parsed document: Apollo reuses parsed
 * documents, so a repeated query costs a map lookup. Responses left without the header (errors,
 * mutations, maxAge 0) get `no-store` from the server; traced ones already have it.
 */
export function createCachePolicyPlugin(): ApolloServerPlugin<Context> {
  const policies = new WeakMap<DocumentNode, Map<string, CachePolicy>>();
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, operation, schema }) {
          if (response.http.headers.has('cache-control') || !document || !operation) return;
          if (response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0) return;
          let byOperation = policies.get(document);
          if (!byOperation) policies.set(document, (byOperation = new Map()));
          const name = operation.name?.value ?? '';
          let policy = byOperation.get(name);
          if (!policy) byOperation.set(name, (policy = computeCachePolicy(schema, document, operation)));
          if (policy.maxAge > 0) response.http.headers.set('cache-control', `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}`);
        },
      };
    },
  };
}
