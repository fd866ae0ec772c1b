import type { ApolloServerPlugin } from '@apollo/server';
import { InkqlError } from '../../errors.ts';

/**
 * The schema has no Subscription type and the server no transport for one, but graphql-js 16
 * validates a `subscription` operation anyway and only execution finds out (a masked internal
 * error). Refused here instead, before anything runs: 400 OPERATION_NOT_SUPPORTED.
 */
export function createSubscriptionRefusalPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new InkqlError('OPERATION_NOT_SUPPORTED', 'Subscriptions are not supported: send a query or a mutation', {
              operation: 'subscription',
            });
          }
        },
      };
    },
  };
}
