import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HttpConfig } from '../config.ts';

/** A page on this machine, on any port: a Vite, Next or Storybook dev server beside inkql in development. */
export const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** The request headers the server reads (Apollo's CSRF check reads the two apollo ones). */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'if-none-match',
  'x-inkql-trace',
  'x-inkql-explain',
  'x-inkql-batching',
  'x-inkql-debug-token',
  'x-inkql-consistency',
  // W3C Trace Context: a page instrumented with OpenTelemetry puts its requests in its own trace.
  'traceparent',
  'tracestate',
];

/** The response headers a cross-origin script may read (beyond the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  'server-timing',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
  'etag',
  'x-inkql-consistency',
  'traceresponse',
];

/** How long a browser may reuse a preflight's answer before asking again. */
export const CORS_PREFLIGHT_MAX_AGE_S = 600;

/** Development allows local pages on any port; production only INKQL_CORS_ORIGINS. */
export interface CorsSettings extends Pick<HttpConfig, 'corsOrigins'> {
  readonly development: boolean;
}

/** Whether a page of `origin` may call this server from a browser. */
export function corsAllows(config: CorsSettings, origin: string): boolean {
  if (config.development) return LOCAL_ORIGIN.test(origin);
  const allowed = config.corsOrigins ?? [];
  return allowed.includes('*') || allowed.includes(origin);
}

/** Adds `Origin` to the reply's Vary, keeping the names already there (a later `header('vary', ...)` would drop it). */
function varyOnOrigin(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const names = typeof current === 'string' ? current.split(',').map((name) => name.trim()).filter(Boolean) : [];
  if (names.includes('*') || names.some((name) => name.toLowerCase() === 'origin')) return;
  reply.header('vary', [...names, 'Origin'].join(', '));
}

/**
 * CORS through @fastify/cors: allowed origins are echoed back (no credentials: inkql
 * authenticates with a bearer header, never cookies), preflights answer 204 before any body is
 * read. Production with no INKQL_CORS_ORIGINS registers nothing: same origin only, no CORS headers.
 */
export function registerCors(app: FastifyInstance, config: CorsSettings): void {
  if (!config.development && !config.corsOrigins?.length) return;
  void app.register(cors, {
    // false (no header at all) for a request without Origin or from a refused one: a
    // non-preflight OPTIONS then falls through to the not-found handler's error shape.
    origin: (origin, callback) => callback(null, origin !== undefined && corsAllows(config, origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_PREFLIGHT_MAX_AGE_S,
    strictPreflight: false,
  });
  // The answer depends on Origin whenever CORS is on, and the GraphQL route sets its own Vary
  // (Accept, Authorization, ...) over @fastify/cors's: a shared cache must never hand one
  // origin's answer (with or without Access-Control-Allow-Origin) to another.
  app.addHook('onSend', async (_request, reply) => {
    varyOnOrigin(reply);
  });
}
