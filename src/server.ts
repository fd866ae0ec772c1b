// One request's way through inkql: http/ (Fastify: limits, routes, the response cache path) hands
// GET and POST /graphql to graphql/ (Apollo: parse, validate, price, execute through graphql-jit),
// whose resolvers reach the database through the request's Context (context.ts). This file only
// builds the shared services and wires the two layers together.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppCache } from './cache/app-cache.ts';
import { createApqCache } from './cache/apq-cache.ts';
import { createCache } from './cache/create-cache.ts';
import { FailOpenGuard } from './cache/fail-open-guard.ts';
import { createResponseCache } from './cache/response-cache.ts';
import { tagResolvers } from './cache/response-tags.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/create-database.ts';
import { createFaultLog } from './db/fault-log.ts';
import { buildSchemas } from './graphql/build-schemas.ts';
import { createApollo } from './graphql/create-apollo.ts';
import { createApp } from './http/create-app.ts';
import { createGraphQLHandler } from './http/graphql-route.ts';
import type { GraphQLOutcome } from './http/request-log.ts';
import type { BudgetStore } from './limits/budget-store.ts';
import { createBudgetStore } from './limits/create-budget-store.ts';
import { createNPlusOneWatch } from './metrics/n-plus-one-watch.ts';
import { resolvers } from './resolvers/index.ts';
import { TRACING, type Tracing } from './trace/tracing.ts';

export interface ServerOptions {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Where client budgets live when INKQL_BUDGET_SIZE > 0 (default: Redis with REDIS_URL, else memory). */
  readonly budgets?: BudgetStore;
  /** The hooks that watch requests (default TRACING; NO_TRACING only in bench/trace-overhead.ts). */
  readonly tracing?: Tracing;
  /** A cache to use instead of one built from config (the caller then closes it). */
  readonly cache?: AppCache;
  /** Development's demo token, prefilled in the explorer's mutation example. */
  readonly demoToken?: string;
}

export interface InkqlServer {
  readonly app: FastifyInstance;
  readonly cache: AppCache;
  /** Starts listening; resolves to the GraphQL endpoint URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, stops Apollo. Leaves the database open. */
  close(): Promise<void>;
}

export async function createServer({ config, database, logger, budgets: givenBudgets, tracing = TRACING, cache: givenCache, demoToken }: ServerOptions): Promise<InkqlServer> {
  // One timeout, back-off and outage log per Redis, shared by the cache and the client budgets:
  // when Redis stops answering, one failure makes both skip it for a while, and it is logged once.
  const redis = config.cache.redisUrl
    ? { url: config.cache.redisUrl, guard: new FailOpenGuard({ timeoutMs: config.cache.timeoutMs, logger, store: 'redis' }) }
    : undefined;
  const cache = givenCache ?? createCache(config.cache, logger, redis?.guard);
  const budgets = givenBudgets ?? createBudgetStore(config.budgets, redis);
  const logFault = createFaultLog(logger, config.log.faultLogIntervalMs);
  // Bounded (REDIS_CONNECT_TIMEOUT_MS): a server starts with Redis down and serves misses.
  await Promise.all([cache.connect(), budgets?.connect()]);
  const responseCache = config.responseCache.enabled
    ? createResponseCache(cache, { namespace: config.cache.namespace, memoryBytes: config.responseCache.memoryBytes, maxEntries: config.cache.maxEntries })
    : undefined;
  // Whole responses are served only to anonymous reads. With client budgets on, every response
  // holds its client's budget (private), so nothing is served or kept; writes still stamp their
  // tags, for the processes sharing this Redis that serve.
  const servesResponses = responseCache !== undefined && !budgets;
  if (responseCache && budgets) logger.warn('INKQL_RESPONSE_CACHE=on serves nothing while client budgets are on (every response is private)');
  const schemas = buildSchemas(servesResponses ? tagResolvers(resolvers) : resolvers, { tracing });
  // Persisted queries are bounded by INKQL_APQ_MAX_BYTES: in Redis with REDIS_URL, else in this process (INKQL_CACHE=off too).
  const apqCache = createApqCache(cache, config.cache.apqMaxBytes);
  // prom-client is loaded only when metrics are on.
  const metrics = config.metrics.enabled
    ? (await import('./metrics/create-metrics.ts')).createMetrics({ poolStats: database.poolStats })
    : undefined;
  // Every request, metrics or not: a deployment that lost batching shows in its log.
  const watchNPlusOne = createNPlusOneWatch({ logger, onDetection: metrics?.countNPlusOne });
  const { apollo, trustedDocuments } = await createApollo({

    limits: config.limits,
    nodeEnv: config.nodeEnv,
    development: config.development,
    logger,
    logFault,
    schemas,
    tracing,
    budgets,
    apqCache,
    documentCacheBytes: config.cache.documentBytes,
    trustedFile: config.limits.trustedDocumentsMode === 'off' ? undefined : config.limits.trustedDocuments,
  });
  // Only a development server has a demo token to hand out; production pages never carry one.
  const explorer = {
    trace: config.development,
    maxCost: config.limits.maxCost,
    introspection: config.limits.introspection,
    ...(config.development && demoToken ? { demoToken } : {}),
  };
  const observe = metrics && ((outcome: GraphQLOutcome, status: number, durationMs: number) => metrics.observeRequest({ status, durationMs, trace: outcome.trace }));
  const handleGraphQL = createGraphQLHandler({ config, apollo, database, cache, responseCache, servesResponses, tracing, trustedDocuments, watchNPlusOne, observe });
  const { app, listen, startClosing } = createApp({ http: config.http, development: config.development, explorer, logger, database, logFault, handleGraphQL });
  if (metrics) (await import('./metrics/register-metrics-route.ts')).registerMetricsRoute(app, metrics, config.metrics.token);

  return {
    app,
    cache,
    listen,
    close: async () => {
      startClosing();
      await app.close();
      await apollo.stop();
      await budgets?.close();
      if (!givenCache) await cache.close();
    },
  };
}
