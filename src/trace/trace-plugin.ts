import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.ts';

/**
 * Thin wiring: times the request's phases, names its operation, and puts the trace into
 * `extensions.trace` when the request may see it. The trace itself (what was recorded, how it is
 * summarised) lives in request-trace.ts.
 */
export function createTracePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const { trace } = contextValue;
      return {
        async parsingDidStart() {
          const started = performance.now();
          return async () => trace.setPhase('parse', performance.now() - started);
        },
        async validationDidStart() {
          const started = performance.now();
          return async () => trace.setPhase('validate', performance.now() - started);
        },
        async didResolveOperation({ operationName }) {
          trace.operationName = operationName ?? undefined;
        },
        async executionDidStart() {
          const started = performance.now();
          return {
            async executionDidEnd() {
              trace.setPhase('execute', performance.now() - started);
            },
          };
        },
        async willSendResponse({ response }) {
          if (!contextValue.exposeTrace) return;
          // A traced response describes one request (and holds SQL text): no shared cache may keep it.
          response.http.headers.set('cache-control', 'no-store');
          if (response.body.kind !== 'single') return;
          const json = trace.toJSON(performance.now());
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            trace: { ...json, cache: { backend: contextValue.cache.backend, ...json.cache } },
          };
        },
      };
    },
  };
}
