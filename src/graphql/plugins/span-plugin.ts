import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.ts';

/**
 * Thin wiring for a request OpenTelemetry samples: Apollo's parse, validate and execute phases
 * become the spans `graphql.parse`, `graphql.validate` and `graphql.execute`, the last named by
 * the operation. Installed only when telemetry is configured; a request that is not sampled gets
 * no hooks. The spans themselves live in the request's listener (trace/request-spans.ts).
 */
export function createSpanPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const { spans } = contextValue.trace;
      if (!spans) return;
      return {
        async parsingDidStart() {
          const end = spans.startPhase('parse');
          return async (error) => end(error);
        },
        async validationDidStart() {
          const end = spans.startPhase('validate');
          return async (errors) => end(errors?.[0]);
        },
        async didResolveOperation({ operationName, operation, source }) {
          if (operation) spans.operation(operationName ?? undefined, operation.operation, source);
        },
        async executionDidStart() {
          const end = spans.startPhase('execute');
          return {
            async executionDidEnd(error) {
              end(error);
            },
          };
        },
      };
    },
  };
}
