import type { Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import Fastify, {
  LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AppCache } from './cache/app-cache.ts';
import { createApqCache } from './cache/apq-cache.ts';
import { createCache } from './cache/create-cache.ts';
import { FailOpenGuard } from './cache/fail-open-guard.ts';
import { createResponseCache } from './cache/response-cache.ts';
import { answerFromCache, finishExecuted, type PlainResponse } from './cache/response-cache-http.ts';
import { responseCacheKey } from './cache/response-cache-key.ts';
import { tagResolvers } from './cache/response-tags.ts';
import type { Config } from './config.ts';
import { createContext } from './context.ts';
import type { DatabaseHandle } from './db/create-database.ts';
import { createFaultLog } from './db/fault-log.ts';
import { registerExplorer } from './http/explorer/register-explorer.ts';
import { drainOnClose } from './http/drain-on-close.ts';
import { buildSchemas } from './graphql/build-schemas.ts';
import { createApollo } from './graphql/create-apollo.ts';
import { MASKED_MESSAGE } from './graphql/format-error.ts';
import type { BudgetStore } from './limits/budget-store.ts';
import { createBudgetStore } from './limits/create-budget-store.ts';
import { oversizedDocument } from './limits/oversized-document.ts';
import { resolvers } from './resolvers/index.ts';
import { type ExplainMode, RequestTrace } from './trace/request-trace.ts';
import { serverTiming } from './trace/server-timing.ts';

export const READY_TIMEOUT_MS = 1000;
/** How often Node looks for requests past INKQL_REQUEST_TIMEOUT_MS (its default, 30 s, would let them overstay). */
export const REQUEST_TIMEOUT_CHECK_MS = 1000;

export interface ServerOptions {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly logger: Logger;
  /** Where client budgets live when INKQL_BUDGET_SIZE > 0 (default: Redis with REDIS_URL, else memory). */
  readonly budgets?: BudgetStore;
  /**
   * false removes every tracing hook (resolver wrappers, trace plugin, request scope, Server-Timing):
   * only for bench/trace-overhead.ts, which measures what the hooks cost. Pair it with a database
   * created without `observe`.
   */
  readonly tracing?: boolean;
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

/** The trace is shown in development, or in production to holders of the debug token. */
function mayInspect(config: Config, request: FastifyRequest): boolean {
  return config.development || sameSecret(header(request, 'x-inkql-debug-token'), config.debugToken);
}

/** `X-Inkql-Explain: 1` adds plans to the trace's SELECTs; `analyze` also runs them with timing. */
function explainMode(request: FastifyRequest): ExplainMode | undefined {
  const value = header(request, 'x-inkql-explain');
  if (value === '1') return 'plan';
  if (value === 'analyze') return 'analyze';
  return undefined;
}

/** Codes for requests refused by HTTP before GraphQL sees them (bad JSON, 413, 415, 405). */
const HTTP_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  500: 'INTERNAL_SERVER_ERROR',
};

/** A GraphQL-shaped error body for an HTTP-level refusal, so clients parse one format. */
function httpError(reply: FastifyReply, status: number, message: string, code = HTTP_ERROR_CODES[status] ?? 'BAD_REQUEST'): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(message, code));
}

function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/**
 * Node's refusals of a connection before Fastify has a request for it, above all a request whose
 * headers and body did not arrive within INKQL_REQUEST_TIMEOUT_MS: answered in the GraphQL error
 * shape on the raw socket, which is then destroyed, freeing what the body had buffered.
 */
function answerClientError(requestTimeoutMs: number) {
  return (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, body] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', errorBody(`The request did not arrive within ${requestTimeoutMs} ms`, 'REQUEST_TIMEOUT')]
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', errorBody('The request headers are too large', 'BAD_REQUEST')]
          : [400, 'Bad Request', errorBody('Malformed HTTP request', 'BAD_REQUEST')];
    // Like Node's own handler: never write into a response that has already started.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/**
 * The backstop behind pricing (a field's cost bounds what it returns in characters, not in bytes):
 * the size of a complete answer over `maxBytes`, which is then replaced rather than sent. A UTF-16
 * unit is at most 3 bytes of UTF-8, so most responses need no counting.
 */
function oversizedBytes(response: HTTPGraphQLResponse, maxBytes: number): number | undefined {
  if (response.body.kind !== 'complete' || response.body.string.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(response.body.string, 'utf8');
  return bytes > maxBytes ? bytes : undefined;
}

async function sendGraphQLResponse(reply: FastifyReply, response: HTTPGraphQLResponse, maxResponseBytes: number): Promise<void> {
  reply.code(response.status ?? 200);
  for (const [key, value] of response.headers) reply.header(key, value);
  if (response.body.kind === 'complete') {
    const bytes = oversizedBytes(response, maxResponseBytes);
    if (bytes !== undefined) {
      reply.header('cache-control', 'no-store');
      await reply.send(
        errorBody(`The response is ${bytes} bytes, over the maximum of ${maxResponseBytes}: ask for fewer items or fields`, 'RESPONSE_TOO_LARGE', {
          bytes,
          maximum: maxResponseBytes,
        }),
      );
      return;
    }
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

async function sendPlain(reply: FastifyReply, response: PlainResponse): Promise<void> {
  reply.code(response.status);
  for (const [key, value] of response.headers) reply.header(key, value);
  await reply.send(response.body);
}

/** The trace as the trace plugin shows it, with the cache backend beside the counts. */
function withBackend(trace: ReturnType<RequestTrace['toJSON']>, backend: string): object {
  return { ...trace, cache: { backend, ...trace.cache } };
}

export async function createServer({
  config,
  database,
  logger,
  budgets: givenBudgets,
  tracing = true,
  cache: givenCache,
}: ServerOptions): Promise<InkqlServer> {
  // One timeout, back-off and outage log per Redis, shared by the cache and the client budgets:
  // when Redis stops answering, one failure makes both skip it for a while, and it is logged once.
  const redisGuard = config.redisUrl ? new FailOpenGuard({ timeoutMs: config.cacheTimeoutMs, logger, store: 'redis' }) : undefined;
  const cache = givenCache ?? createCache(config, logger, redisGuard);
  const budgets = givenBudgets ?? createBudgetStore(config, redisGuard);
  const logFault = createFaultLog(logger, config.faultLogIntervalMs);
  // Bounded (REDIS_CONNECT_TIMEOUT_MS): a server starts with Redis down and serves misses.
  await Promise.all([cache.connect(), budgets?.connect()]);
  const responseCache = config.responseCache
    ? createResponseCache(cache, { namespace: config.cacheNamespace, memoryBytes: config.responseCacheMemoryBytes, maxEntries: config.cacheMaxEntries })
    : undefined;
  // Whole responses are served only to anonymous reads. With client budgets on, every response
  // holds its client's budget (private), so nothing is served or kept; writes still stamp their
  // tags, for the processes sharing this Redis that serve.
  const servesResponses = responseCache !== undefined && !budgets;
  if (responseCache && budgets) logger.warn('INKQL_RESPONSE_CACHE=on serves nothing while client budgets are on (every response is private)');
  const schemas = buildSchemas(servesResponses ? tagResolvers(resolvers) : resolvers, { tracing });
  // Persisted queries are bounded by INKQL_APQ_MAX_BYTES: in Redis with REDIS_URL, else in this process (INKQL_CACHE=off too).
  const apqCache = createApqCache(cache, config.apqMaxBytes);
  const apollo = await createApollo({ config, logger, logFault, schemas, tracing, budgets, apqCache });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.maxBodyBytes,
    // request.ip (whose budget pays) follows X-Forwarded-For only through the proxies configured here.
    trustProxy: typeof config.trustProxy === 'boolean' ? config.trustProxy : [...config.trustProxy],
    // A stalled body is timed out (408) and its buffered bytes freed; an idle socket is closed.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 2 * config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(REQUEST_TIMEOUT_CHECK_MS, config.requestTimeoutMs),
    },
    clientErrorHandler: answerClientError(config.requestTimeoutMs),
    // No per-request access log: Server-Timing and the trace measure requests; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });
  drainOnClose(app.server);

  // Connections beyond the cap are closed as they arrive: with the body limit and the request
  // timeout, this bounds the request bytes held at once.
  app.server.maxConnections = config.maxConnections;

  const handleGraphQL = async (request: FastifyRequest, reply: FastifyReply) => {
    const queryStart = request.url.indexOf('?');
    const search = queryStart === -1 ? '' : request.url.slice(queryStart);
    const documentBytes = oversizedDocument(request.method, request.body, search, config.maxDocumentBytes);
    if (documentBytes !== undefined) {
      return httpError(
        reply.header('cache-control', 'no-store'),
        413,
        `The document is ${documentBytes} bytes, over the maximum of ${config.maxDocumentBytes} (comments included)`,
        'DOCUMENT_TOO_LARGE',
      );
    }
    const inspect = mayInspect(config, request);
    const exposeTrace = inspect && header(request, 'x-inkql-trace') === '1';
    const trace = new RequestTrace(performance.now(), {
      shown: exposeTrace,
      fields: config.sqlComments || config.logSql,
      explain: exposeTrace ? explainMode(request) : undefined,
    });
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = request.method.toUpperCase();
    const conditional = { method, ifNoneMatch: header(request, 'if-none-match') };
    // Anonymous reads only: a viewer, or the per-request batching switch, changes what runs.
    const cacheKey =
      servesResponses && !request.headers.authorization && !(inspect && header(request, 'x-inkql-batching') !== undefined)
        ? responseCacheKey(method, search, request.body, request.headers)
        : undefined;
    const lookup = cacheKey ? await responseCache!.lookup(cacheKey) : undefined;
    if (cacheKey) trace.recordCache('response', lookup?.entry !== undefined);
    if (lookup?.entry) {
      const timing = tracing ? `${serverTiming(trace, performance.now(), inspect)}, cache;desc=hit` : 'cache;desc=hit';
      const traceJson = exposeTrace ? trace.toJSON(performance.now()) : undefined;
      const cached = answerFromCache(conditional, lookup.entry, timing, traceJson && withBackend(traceJson, cache.backend));
      await sendPlain(reply, cached);
      return;
    }
    // A shown trace is this request's own: such a response is never stored, so it collects no tags.
    const responseTags = lookup && !exposeTrace ? new Set<string>() : undefined;
    const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method,
          headers,
          search,
          body: request.body,
        },
        context: async () =>
          createContext({
            db: database.db,
            trace,
            tracing,
            clientAddress: request.ip,
            // The per-request switch exists so one query can be compared naive vs batched without a restart.
            batching: inspect && header(request, 'x-inkql-batching') === 'off' ? false : config.batching,
            cache,
            authorization: header(request, 'authorization'),
            responseCache,
            responseTags,
          }),
    });
    if (tracing) reply.header('server-timing', serverTiming(trace, performance.now(), inspect) + (cacheKey ? ', cache;desc=miss' : ''));
    // Responses Apollo rejected before execution carry no hint: nothing may cache them.
    if (!response.headers.has('cache-control')) reply.header('cache-control', 'no-store');
    const finished = finishExecuted(conditional, response, responseTags, config.responseCacheMaxBytes);
    if (!finished || oversizedBytes(response, config.maxResponseBytes) !== undefined) {
      await sendGraphQLResponse(reply, response, config.maxResponseBytes);
      return;
    }
    if (finished.entry && cacheKey && lookup) await responseCache!.store(cacheKey, lookup.epoch, finished.entry);
    await sendPlain(reply, finished.plain);
  };

  registerExplorer(app, config);
  app.route({ method: ['GET', 'POST'], url: '/graphql', handler: handleGraphQL });
  app.route({
    method: ['PUT', 'PATCH', 'DELETE'],
    url: '/graphql',
    handler: (_request, reply) => httpError(reply.header('allow', 'GET, POST'), 405, 'GraphQL is served over GET and POST only'),
  });
  // Fastify's own refusals (invalid JSON, body over the limit, unknown content type) get the
  // GraphQL error shape and their 4xx; anything else is masked and logged.
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return httpError(reply, status, error.message);
    logger.error({ err: error }, 'unexpected error in an HTTP request');
    return httpError(reply, 500, MASKED_MESSAGE);
  });

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
      logFault('warn', 'readiness check failed', error);
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
      await budgets?.close();
      if (!givenCache) await cache.close();
    },
  };
}
