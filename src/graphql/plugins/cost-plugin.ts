import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context.ts';
import { InkqlError } from '../../errors.ts';
import { computeActualCost } from '../../limits/actual-cost.ts';
import type { BudgetStore } from '../../limits/budget-store.ts';
import { clientKeyOf } from '../../limits/client-key.ts';
import { toCostExtension } from '../../limits/cost-state.ts';
import { secondsUntilAvailable } from '../../limits/leaky-bucket.ts';
import { MAX_PRICED_NODES, priceOperation } from '../../limits/price-operation.ts';
import type { TraceWire } from '../../trace/trace-format.ts';

export interface CostPluginOptions {
  readonly maxCost: number;
  /** Client budgets; undefined when they are off. */
  readonly budgets?: BudgetStore;
}

/**
 * Thin wiring (the pricing is limits/price-operation.ts and limits/actual-cost.ts): prices each operation
 * with its variables once it is resolved, refuses it before any resolver runs when it costs
 * more than `maxCost` (400 QUERY_TOO_COMPLEX) or than the client has left (429 THROTTLED),
 * else reserves that price from the client's bucket in one atomic step; afterwards settles the
 * difference to the actual cost (a refund, or an extra charge when the actual cost is higher)
 * and reports both in `extensions.cost`.
 */
export function createCostPlugin({ maxCost, budgets }: CostPluginOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const { cost, trace } = contextValue;
      let executing = false;
      /** Set once points were reserved: who pays the settlement. */
      let payer: string | undefined;
      return {
        async didResolveOperation({ schema, document, operationName, operation, request, queryHash }) {
          // The request's trace learns what ran here and how it ended below, for the request's log
          // line and metrics: this plugin's hooks run for every request anyway, a second plugin's
          // would cost every request again.
          trace.operationName ??= operationName ?? undefined;
          trace.operationType = operation?.operation;
          try {
            cost.requested = priceOperation({ schema, document, operationName, variables: request.variables, queryHash });
          } catch (error) {
            if (error instanceof GraphQLError && error.message.includes('maximum allowed number of nodes')) {
              throw new InkqlError('QUERY_TOO_COMPLEX', `The query has more than ${MAX_PRICED_NODES} selections to price`, {
                maximumNodes: MAX_PRICED_NODES,
              });
            }
            // Variables that do not fit their types: execution rejects them before any resolver runs.
            return;
          }
          if (cost.requested > maxCost) {
            throw new InkqlError('QUERY_TOO_COMPLEX', `Query cost ${cost.requested} exceeds the maximum of ${maxCost}`, {
              cost: cost.requested,
              maximum: maxCost,
            });
          }
          if (budgets) {
            const clientKey = await clientKeyOf(contextValue.viewer, contextValue.clientAddress);
            const reservation = await budgets.reserve(clientKey, cost.requested);
            cost.budget = reservation.status;
            // More than a full bucket can never run: say so (400) rather than "retry later" (429) forever.
            if (cost.requested > cost.budget.limit) {
              throw new InkqlError('QUERY_TOO_COMPLEX', `Query cost ${cost.requested} exceeds the client budget of ${cost.budget.limit}`, {
                cost: cost.requested,
                maximum: cost.budget.limit,
              });
            }
            if (!reservation.admitted) {
              throw new InkqlError(
                'THROTTLED',
                `Query cost ${cost.requested} exceeds the ${Math.floor(cost.budget.available)} points this client has left; ` +
                  `the budget refills at ${cost.budget.restoreRate} points a second`,
                { cost: cost.requested, available: Math.floor(cost.budget.available), retryAfterSeconds: secondsUntilAvailable(cost.budget, cost.requested) },
              );
            }
            if (reservation.held) payer = clientKey;
          }
          executing = true;
        },

        async willSendResponse({ response, schema, document, operationName }) {
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          trace.errorCount = result?.errors?.length ?? 0;
          if (executing && document && result?.data) cost.actual = computeActualCost({ schema, document, operationName, data: result.data });
          // An error nulls out the subtree above it after its work was done (a non-null field that
          // fails below a page of posts blanks the page): a response with errors pays at least what
          // it reserved, so a query that fails on purpose is refunded nothing.
          if (executing && (!result?.data || (result.errors?.length ?? 0) > 0)) cost.actual = Math.max(cost.actual, cost.requested);
          if (budgets && payer !== undefined && cost.actual !== cost.requested) {
            cost.budget = (await budgets.settle(payer, cost.actual - cost.requested)) ?? cost.budget;
          }
          if (cost.budget) {
            const { headers } = response.http;
            headers.set('x-ratelimit-limit', String(cost.budget.limit));
            headers.set('x-ratelimit-remaining', String(Math.floor(cost.budget.available)));
            headers.set('x-ratelimit-reset', String(Math.ceil(cost.budget.resetAtMs / 1000)));
            if (!executing && cost.requested > cost.budget.available) {
              headers.set('retry-after', String(secondsUntilAvailable(cost.budget, cost.requested)));
            }
          }
          if (!result) return;
          const extensions: Record<string, unknown> = { ...result.extensions, cost: toCostExtension(cost) };
          // The trace shows the price next to the SQL it bought.
          if (extensions.trace && typeof extensions.trace === 'object') {
            const trace: TraceWire = { ...(extensions.trace as TraceWire), cost: { requested: cost.requested, actual: cost.actual, maximum: maxCost } };
            extensions.trace = trace;
          }
          result.extensions = extensions;
        },
      };
    },
  };
}
