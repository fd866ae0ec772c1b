import { type ApolloServer, HeaderMap } from '@apollo/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppCache } from '../cache/app-cache.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import { answerFromCache, finishExecuted } from '../cache/response-cache-http.ts';
import { responseCacheKey } from '../cache/response-cache-key.ts';
import type { Config } from '../config.ts';
import { type Context, createContext } from '../context.ts';
import type { DatabaseHandle } from '../db/create-database.ts';
import { parseLsn } from '../db/lsn.ts';
import { attachRoute, RequestRoute } from '../db/request-route.ts';
import { CONSISTENCY_HEADER } from '../graphql/plugins/replica-route-plugin.ts';
import { oversizedDocument } from '../limits/oversized-document.ts';
import { RequestTrace } from '../trace/request-trace.ts';
import type { TraceJson, TraceWire } from '../trace/trace-format.ts';
import type { RequestTelemetry } from '../trace/request-spans.ts';
import type { Tracing } from '../trace/tracing.ts';
import { httpError } from './http-error.ts';
import { explainMode, mayInspect } from './may-inspect.ts';
import { header } from './request-header.ts';
import { createRequestGate } from './request-gate.ts';
import { type GraphQLObserver, graphQLOutcomeOf, noteGraphQLOutcome } from './request-log.ts';
import { type DocumentIds, resolveTrustedRequest } from './trusted-request.ts';
import { oversizedBytes, sendGraphQLResponse, sendPlain } from './send-graphql-response.ts';

export interface GraphQLRouteOptions {
  readonly config: Pick<Config, 'development' | 'database' | 'limits' | 'responseCache' | 'trace' | 'log'>;
  readonly apollo: ApolloServer<Context>;
  readonly database: DatabaseHandle;
  readonly cache: AppCache;
  readonly responseCache: ResponseCache | undefined;
  /** Whether whole responses are looked up and stored (the response cache is on and nothing makes responses private). */
  readonly servesResponses: boolean;
  readonly tracing: Tracing;
  /** The manifest's documents when INKQL_TRUSTED_DOCUMENTS_MODE is allow or enforce. */
  readonly trustedDocuments?: DocumentIds;
  /** Told of each answered request's statements once its answer is sent (metrics/n-plus-one-watch.ts). */
  readonly watchNPlusOne?: (statements: RequestTrace['statements'], operationName: string | undefined) => void;
  /** Told of every answered GraphQL request once its answer is sent (metrics, when on). */
  readonly observe?: GraphQLObserver;
}

/**
 * GraphQL executions let in at once per pooled connection: enough that requests between their
 * statements (resolving, serialising) leave few connections idle, few enough that requests do not
 * queue for connections while holding their results.
 */
export const EXECUTIONS_PER_CONNECTION = 1.5;

/** The route of every GraphQL request, as server spans name it. */
const GRAPHQL_ROUTE = '/graphql';

/** The trace as the trace plugin shows it, with the cache backend beside the counts. */
function withBackend(trace: TraceJson, backend: string): TraceWire {
  return { ...trace, cache: { backend, ...trace.cache } };
}

/**
 * GET and POST /graphql: refuses an oversized document, starts the request's trace, answers an
 * anonymous read from the response cache when it can, else turns the Fastify request into Apollo's
 * HTTPGraphQLRequest, executes it with a fresh Context and sends Apollo's answer back (stored
 * for the next reader when it may be).
 */
export function createGraphQLHandler({ config, apollo, database, cache, responseCache, servesResponses, tracing, trustedDocuments, watchNPlusOne, observe }: GraphQLRouteOptions) {
  const access = { development: config.development, debugToken: config.trace.debugToken };
  const trustedMode = config.limits.trustedDocumentsMode === 'off' ? undefined : config.limits.trustedDocumentsMode;
  const { telemetry } = tracing;
  const gate = createRequestGate(Math.ceil(EXECUTIONS_PER_CONNECTION * database.poolStats().max));
  // The server span wraps the whole answer; the response names its trace (W3C Trace Context's
  // `traceresponse`), sampled or not, and so does the request's log line.
  const handle = async (request: FastifyRequest, reply: FastifyReply, otel: RequestTelemetry | undefined) => {
    const queryStart = request.url.indexOf('?');
    let search = queryStart === -1 ? '' : request.url.slice(queryStart);
    let body = request.body;
    const method = request.method.toUpperCase();
    if (trustedMode && trustedDocuments) {
      // Before the response cache's key: a document named by id is keyed by its hash.
      const trusted = resolveTrustedRequest(trustedMode, trustedDocuments, method, body, search);
      if (trusted.refused) return httpError(reply.header('cache-control', 'no-store'), trusted.refused.status, trusted.refused.message, trusted.refused.code);
      ({ body, search } = trusted);
    }
    const documentBytes = oversizedDocument(request.method, body, search, config.limits.maxDocumentBytes);
    if (documentBytes !== undefined) {
      return httpError(
        reply.header('cache-control', 'no-store'),
        413,
        `The document is ${documentBytes} bytes, over the maximum of ${config.limits.maxDocumentBytes} (comments included)`,
        'DOCUMENT_TOO_LARGE',
      );
    }
    const consistency = header(request, CONSISTENCY_HEADER);
    const token = consistency === undefined ? undefined : parseLsn(consistency);
    if (consistency !== undefined && token === undefined) {
      return httpError(
        reply.header('cache-control', 'no-store'),
        400,
        `X-Inkql-Consistency must be the token a mutation returned (a WAL position like 0/3000060), got ${JSON.stringify(consistency.slice(0, 40))}`,
        'BAD_USER_INPUT',
      );
    }
    const inspect = mayInspect(access, request);
    // `1`: the everyday trace; `resolvers`: the same with every field timed.
    const level = inspect ? header(request, 'x-inkql-trace') : undefined;
    const exposeTrace = level === '1' || level === 'resolvers';
    const trace = new RequestTrace(performance.now(), {
      shown: exposeTrace,
      everyField: level === 'resolvers',
      // The N+1 watch looks at every request, and names each statement's field.
      fields: true,
      explain: exposeTrace ? explainMode(request) : undefined,
      spans: otel?.spans,
    });
    let context: Context | undefined;
    noteGraphQLOutcome(request, () => ({
      operationName: trace.operationName,
      sqlCount: trace.sqlCount,
      cost: context?.cost.requested ?? 0,
      trace,
      traceId: otel?.traceId,
    }));
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const conditional = { method, ifNoneMatch: header(request, 'if-none-match') };
    // Anonymous reads only: a viewer, or the per-request batching switch, changes what runs.
    const cacheKey =
      servesResponses && !request.headers.authorization && !(inspect && header(request, 'x-inkql-batching') !== undefined)
        ? responseCacheKey(method, search, body, request.headers)
        : undefined;
    const lookup = cacheKey ? await responseCache!.lookup(cacheKey) : undefined;
    if (cacheKey) trace.recordCache('response', lookup?.entry !== undefined);
    const { serverTiming } = tracing;
    if (lookup?.entry) {
      const timing = serverTiming ? `${serverTiming(trace, performance.now(), inspect)}, cache;desc=hit` : 'cache;desc=hit';
      const traceJson = exposeTrace ? trace.toJSON(performance.now()) : undefined;
      const cached = answerFromCache(conditional, lookup.entry, timing, traceJson && withBackend(traceJson, cache.backend));
      await sendPlain(reply, cached);
      return;
    }
    // A shown trace is this request's own: such a response is never stored, so it collects no tags.
    const responseTags = lookup && !exposeTrace ? new Set<string>() : undefined;
    // A response that may be stored for every client is read from the primary: cache/app-cache.ts says why.
    const route = database.replicas
      ? new RequestRoute(database.replicas, { token, waitMs: config.database.consistencyWaitMs, primaryOnly: responseTags !== undefined })
      : undefined;
    if (route) attachRoute(trace, route);
    const leave = await gate.enter();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method,
        headers,
        search,
        body,
      },
      context: async () =>
        (context = createContext({
          db: database.db,
          trace,
          tracing,
          clientAddress: request.ip,
          // The per-request switch exists so one query can be compared naive vs batched without a restart.
          batching: inspect && header(request, 'x-inkql-batching') === 'off' ? false : config.database.batching,
          cache,
          authorization: header(request, 'authorization'),
          responseCache,
          responseTags,
          route,
        })),
    }).finally(leave);
    if (serverTiming) reply.header('server-timing', serverTiming(trace, performance.now(), inspect) + (cacheKey ? ', cache;desc=miss' : ''));
    // Responses Apollo rejected before execution carry no hint: nothing may cache them.
    if (!response.headers.has('cache-control')) reply.header('cache-control', 'no-store');
    const finished = finishExecuted(conditional, response, responseTags, config.responseCache.maxBytes);
    if (!finished || oversizedBytes(response, config.limits.maxResponseBytes) !== undefined) {
      await sendGraphQLResponse(reply, response, config.limits.maxResponseBytes);
    } else {
      if (finished.entry && cacheKey && lookup) await responseCache!.store(cacheKey, lookup.epoch, finished.entry);
      await sendPlain(reply, finished.plain);
    }
  };
  // Once the answer is sent (awaiting Fastify's send waits for it): the N+1 watch and metrics read
  // the request's trace here rather than in an onResponse hook, which would cost every request
  // Fastify's hook machinery. A request refused before its trace began has no outcome.
  const answered = (request: FastifyRequest, status: number, durationMs: number) => {
    const outcome = graphQLOutcomeOf(request);
    if (!outcome) return;
    watchNPlusOne?.(outcome.trace.statements, outcome.operationName);
    observe?.(outcome, status, durationMs);
  };
  const handleAndWatch = async (request: FastifyRequest, reply: FastifyReply, otel: RequestTelemetry | undefined) => {
    try {
      await handle(request, reply, otel);
    } catch (error) {
      // Fastify's error handler answers it with a 500.
      answered(request, 500, reply.elapsedTime);
      throw error;
    }
    answered(request, reply.statusCode, reply.elapsedTime);
  };
  if (!telemetry) return (request: FastifyRequest, reply: FastifyReply) => handleAndWatch(request, reply, undefined);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const otel = telemetry.startRequest(request.method.toUpperCase(), GRAPHQL_ROUTE, request.headers);
    reply.header('traceresponse', otel.traceresponse);
    try {
      await handleAndWatch(request, reply, otel);
    } catch (error) {
      otel.end(500, error);
      throw error;
    }
    otel.end(reply.statusCode);
  };
}
