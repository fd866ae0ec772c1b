import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import Fastify, {
  LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { createLazyViewer } from './auth/viewer.ts';
import type { AppCache } from './cache/app-cache.ts';
import { createApqCache } from './cache/apq-cache.ts';
import { APQ_TTL_SECONDS } from './cache/cache-keys.ts';
import { createCache } from './cache/create-cache.ts';
import type { Config } from './config.ts';
import { type Context, createContext } from './context.ts';
import type { DatabaseHandle } from './db/create-database.ts';
import { registerExplorer } from './explorer/register-explorer.ts';
import { createFormatError, MASKED_MESSAGE } from './format-error.ts';
import { resolvers } from './resolvers/index.ts';
import { RequestTrace, round } from './trace/request-trace.ts';
import { sqlScope } from './trace/sql-scope.ts';
import { createTracePlugin } from './trace/trace-plugin.ts';

export const SCHEMA_PATH = new URL('../schema.graphql', import.meta.url);
export const BODY_LIMIT_BYTES = 1024 * 1024;
export const READY_TIMEOUT_MS = 1000;

export interface ServerOptions {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** A cache to use instead of one built from config (the caller then closes it). */
  readonly cache?: AppCache;
}

export interface InkqlServer {
  readonly app: FastifyInstance;
  readonly cache: AppCache;
  /** Starts listening; resolves to the GraphQL endpoint URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, stops Apollo. Leaves the database open. */
  close(): Promise<void>;
}

function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** DESIGN §5: the trace is shown in development, or in production to holders of the debug token. */
function mayInspect(config: Config, request: FastifyRequest): boolean {
  return config.development || sameSecret(header(request, 'x-inkql-debug-token'), config.debugToken);
}

function serverTiming(trace: RequestTrace): string {
  const total = performance.now() - trace.startedAt;
  return `sql;dur=${round(trace.sqlDurationMs)};desc="${trace.sqlCount} queries", total;dur=${round(total)}`;
}

async function sendGraphQLResponse(reply: FastifyReply, response: HTTPGraphQLResponse): Promise<void> {
  reply.code(response.status ?? 200);
  for (const [key, value] of response.headers) reply.header(key, value);
  if (response.body.kind === 'complete') {
    await reply.send(response.body.string);
    return;
  }
  // Incremental delivery (@defer): stream the chunks as Apollo yields them.
  const chunks = response.body.asyncIterator;
  await reply.send(
    (async function* () {
      for await (const chunk of chunks) yield chunk;
    })(),
  );
}

export async function createServer({ config, database, logger, cache: givenCache }: ServerOptions): Promise<InkqlServer> {
  const cache = givenCache ?? createCache(config, logger);
  // Bounded (REDIS_CONNECT_TIMEOUT_MS): a server starts with Redis down and serves misses.
  await cache.connect();
  const apqCache = createApqCache(cache);
  const apollo = new ApolloServer<Context>({
    typeDefs: readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers: resolvers as never,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    logger,
    formatError: createFormatError((error) => logger.error({ err: error }, 'unexpected error in a GraphQL request')),
    // Hints live in schema.graphql (@cacheControl); a field without one (mutations) makes the response
    // no-store. Issue 4 asks for these headers, so the plugin is on despite its per-field hook cost.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControl({ defaultMaxAge: 0 }), createTracePlugin()],
    // Without a shared cache (INKQL_CACHE=off) Apollo keeps persisted queries in its own per-process LRU.
    persistedQueries: apqCache ? { cache: apqCache, ttl: APQ_TTL_SECONDS } : {},
  });
  await apollo.start();

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // No per-request access log: Server-Timing and the trace measure requests; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });

  // Fastify refuses some requests before any route runs (invalid or empty JSON, body too large).
  // GraphQL clients read `errors[].extensions.code`, so answer in that shape, not Fastify's own.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error }, 'unexpected error in an HTTP request');
    const message = status >= 500 ? MASKED_MESSAGE : error.message;
    const code = status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    return reply.code(status).send({ errors: [{ message, extensions: { code } }] });
  });

  const handleGraphQL = async (request: FastifyRequest, reply: FastifyReply) => {
    const trace = new RequestTrace(performance.now());
    const inspect = mayInspect(config, request);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryStart = request.url.indexOf('?');
    const response = await sqlScope.run({ trace }, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: request.method.toUpperCase(),
          headers,
          search: queryStart === -1 ? '' : request.url.slice(queryStart),
          body: request.body,
        },
        context: async () =>
          createContext({
            db: database.db,
            config,
            trace,
            exposeTrace: inspect && header(request, 'x-inkql-trace') === '1',
            // The per-request switch exists so one query can be compared naive vs batched without a restart.
            batching: inspect && header(request, 'x-inkql-batching') === 'off' ? false : config.batching,
            cache,
            viewer: createLazyViewer(database.db, header(request, 'authorization')),
          }),
      }),
    );
    reply.header('server-timing', serverTiming(trace));
    // Responses Apollo rejected before execution carry no hint: nothing may cache them.
    if (!response.headers.has('cache-control')) reply.header('cache-control', 'no-store');
    await sendGraphQLResponse(reply, response);
  };

  registerExplorer(app, config);
  app.route({ method: ['GET', 'POST'], url: '/graphql', handler: handleGraphQL });

  // On shutdown Fastify stops accepting connections and closes the idle ones, but a request in
  // flight keeps its keep-alive connection open after answering, and close() would wait for the
  // client to drop it (the SIGTERM test hit the grace period that way). Answers sent while
  // closing therefore end their connection.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await Promise.race([
        database.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), READY_TIMEOUT_MS).unref()),
      ]);
      return { status: 'ready', database: database.kind };
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', database: database.kind });
    }
  });

  return {
    app,
    cache,
    listen: async () => {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host}:${port}/graphql`;
    },
    close: async () => {
      closing = true;
      await app.close();
      await apollo.stop();
      if (!givenCache) await cache.close();
    },
  };
}
