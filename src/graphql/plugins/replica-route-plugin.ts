import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.ts';
import { formatLsn } from '../../db/lsn.ts';

/** The response header of a mutation's consistency token, and the request header a later read sends it back in. */
export const CONSISTENCY_HEADER = 'x-inkql-consistency';

/**
 * With read replicas (a request then has a route): once the operation is known, picks the
 * database that serves it (mutations the primary; queries a replica, one that has replayed the
 * client's consistency token when it sent one). After a mutation, hands the client its token:
 * the primary's WAL position after the commit, in the `X-Inkql-Consistency` header and in
 * `extensions.consistency`. Nothing happens without replicas.
 */
export function createReplicaRoutePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const route = contextValue.route;
      if (!route) return undefined;
      return {
        async didResolveOperation({ operation }) {
          await route.decide(operation?.operation ?? 'query');
        },
        async willSendResponse({ response }) {
          if (!route.wrote) return;
          let token: string;
          try {
            token = formatLsn(await route.replicas.currentLsn());
          } catch {
            // The primary just answered the mutation; if it cannot say its position now, the
            // client gets no token and its next read goes wherever reads go.
            return;
          }
          response.http.headers.set(CONSISTENCY_HEADER, token);
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, consistency: token };
          }
        },
      };
    },
  };
}
