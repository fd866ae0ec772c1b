import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.ts';
import { round } from './request-trace.ts';

/**
 * Thin wiring: puts the request's trace into `extensions.trace` when the request may see it.
 * The trace itself (what was recorded, how it is summarised) lives in request-trace.ts.
 */
export function createTracePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.exposeTrace) return {};
      return {
        async willSendResponse({ response }) {
          // A traced response describes one request (and holds SQL text): no shared cache may keep it.
          response.http.headers.set('cache-control', 'no-store');
          if (response.body.kind !== 'single') return;
          const { trace } = contextValue;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            trace: {
              durationMs: round(performance.now() - trace.startedAt),
              sql: trace.sqlSummary(),
              cache: { backend: contextValue.cache.backend, ...trace.cacheSummary() },
            },
          };
        },
      };
    },
  };
}
