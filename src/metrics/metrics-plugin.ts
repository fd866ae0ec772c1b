import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.ts';

/**
 * Thin wiring for request metrics: notes on the request's trace what the HTTP layer cannot see,
 * the operation's name and type (also for an operation refused after it was resolved, over its
 * cost or budget, which never reaches the executor) and whether the response carries errors.
 */
export function createMetricsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue: { trace } }) {
      return {
        async didResolveOperation({ operationName, operation }) {
          trace.operationName ??= operationName ?? undefined;
          trace.operationType = operation?.operation;
        },
        async willSendResponse({ response }) {
          if (response.body.kind === 'single') trace.errorCount = response.body.singleResult.errors?.length ?? 0;
        },
      };
    },
  };
}
