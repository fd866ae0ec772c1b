import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { HttpConfig } from '../config.ts';
import type { DatabaseHandle } from '../db/create-database.ts';
import type { FaultLog } from '../db/fault-log.ts';
import { MASKED_MESSAGE } from '../graphql/format-error.ts';
import { answerClientError } from './answer-client-error.ts';
import { drainOnClose } from './drain-on-close.ts';
import type { ExplorerPageConfig } from './explorer/explorer-page.ts';
import { registerExplorer } from './explorer/register-explorer.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { httpError } from './http-error.ts';
import { registerCors } from './register-cors.ts';
import { registerRequestLog } from './request-log.ts';

/** How often Node looks for requests past INKQL_REQUEST_TIMEOUT_MS (its default, 30 s, would let them overstay). */
export const REQUEST_TIMEOUT_CHECK_MS = 1000;

export interface AppOptions {
  readonly http: HttpConfig;
  readonly explorer: ExplorerPageConfig;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly logFault: FaultLog;
  /** Development: CORS for local pages on any port, and the request line at info. */
  readonly development: boolean;
  /** GET and POST /graphql (graphql-route.ts). */
  readonly handleGraphQL: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

export interface App {
  readonly app: FastifyInstance;
  /** Starts listening; resolves to the GraphQL endpoint URL. */
  listen(): Promise<string>;
  /** From now on every answer ends its connection, so close() need not wait for clients to drop keep-alives. */
  startClosing(): void;
}

/** Methods a path answers besides OPTIONS (which CORS answers for every path), for a 405's Allow header. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The request's path (no query string), quoted and cut short enough for a message. */
function quotedPath(url: string): string {
  const path = url.split('?', 1)[0]!;
  return JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}...` : path);
}

/** The Fastify app: limits and timeouts on connections and bodies, the routes, and the one error shape for HTTP refusals. */
export function createApp({ http: config, development, explorer, logger, database, logFault, handleGraphQL }: AppOptions): App {
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
    // Fastify's two lines per request are replaced by one that says what the request cost (request-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
  });
  drainOnClose(app.server);

  // Connections beyond the cap are closed as they arrive: with the body limit and the request
  // timeout, this bounds the request bytes held at once.
  app.server.maxConnections = config.maxConnections;

  registerCors(app, { development, corsOrigins: config.corsOrigins });
  registerRequestLog(app, logger, development ? 'info' : 'debug');
  registerExplorer(app, explorer);
  app.route({ method: ['GET', 'POST'], url: '/graphql', handler: handleGraphQL });
  // Unknown paths, and known paths asked with a method they do not answer (OPTIONS outside a CORS
  // preflight from an allowed origin lands here too), in the GraphQL error shape.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    // The router's own match: a route registered for this exact path under another method.
    const allowed = METHODS.filter((method) => app.hasRoute({ method, url: path }));
    if (allowed.length === 0) return httpError(reply, 404, `Nothing is served at ${quotedPath(request.url)}: GraphQL is at /graphql`);
    return httpError(reply.header('allow', allowed.join(', ')), 405, `${quotedPath(request.url)} answers ${allowed.join(', ')}, not ${request.method}`);
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
  // client to drop it. Answers sent while closing therefore end their connection.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  registerHealthRoutes(app, database, logFault);
  return {
    app,
    listen: async () => {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host}:${port}/graphql`;
    },
    startClosing: () => {
      closing = true;
    },
  };
}
