import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.ts';
import type { TraceWire } from '../../trace/trace-format.ts';

/**
 * Thin wiring for a request whose trace will be shown: times its parse and validate phases,
 * counts its persisted-query lookup, and puts the trace into `extensions.trace`. A request
 * nobody sees the trace of gets no hooks at all (the execute phase and the operation name,
 * which Server-Timing and SQL comments need on every request, come from the executor,
 * graphql/jit-gateway.ts). The trace itself lives in trace/request-trace.ts.
 */
export function createTracePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      const { trace } = contextValue;
      // Whether the response may carry `extensions.trace` (SQL text is sensitive).
      if (!trace.shown) return;
      // Apollo looks persisted queries up without the request at hand, so the lookup is counted
      // here: a hash sent without its query either resolves (a hit) or fails (a miss).
      let apqLookup = request.query === undefined && request.extensions?.persistedQuery !== undefined;
      const countApq = (hit: boolean) => {
        if (apqLookup) trace.recordCache('apq', hit);
        apqLookup = false;
      };
      return {
        async didResolveSource() {
          countApq(true);
        },
        async parsingDidStart() {
          const started = performance.now();
          return async () => trace.setPhase('parse', performance.now() - started);
        },
        async validationDidStart() {
          const started = performance.now();
          return async () => trace.setPhase('validate', performance.now() - started);
        },
        // The executor names the operation too, but a request refused before it runs (over its
        // cost, say) never gets there, and its trace still names what was refused.
        async didResolveOperation({ operationName }) {
          trace.operationName = operationName ?? undefined;
        },
        async willSendResponse({ response }) {
          countApq(false);
          // A traced response describes one request (and holds SQL text): no shared cache may keep it.
          response.http.headers.set('cache-control', 'no-store');
          if (response.body.kind !== 'single') return;
          const json = trace.toResponseJSON(performance.now());
          const wire: TraceWire = { ...json, cache: { backend: contextValue.cache.backend, ...json.cache } };
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, trace: wire };
        },
      };
    },
  };
}
