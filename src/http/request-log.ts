import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** What the GraphQL route learned about a request, read once its answer is sent. */
export interface GraphQLOutcome {
  readonly operationName: string | undefined;
  readonly sqlCount: number;
  /** The operation's estimated cost (0 when it was refused before pricing). */
  readonly cost: number;
  /** The OpenTelemetry trace the request belongs to (when telemetry is configured). */
  readonly traceId?: string;
}

const outcomes = new WeakMap<FastifyRequest, () => GraphQLOutcome>();

/** Called by the GraphQL route: `read` runs after the answer is sent, when the counts are final. */
export function noteGraphQLOutcome(request: FastifyRequest, read: () => GraphQLOutcome): void {
  outcomes.set(request, read);
}

/**
 * One line per answered request at `level` (info in development, debug in production): method,
 * path, operation name, status, duration, SQL count, cost, the OpenTelemetry trace id when
 * telemetry is configured, and the request id that pino's child logger adds as `reqId`. No hook at all when the logger would drop the line.
 */
export function registerRequestLog(app: FastifyInstance, logger: Logger, level: 'info' | 'debug'): void {
  if (!logger.isLevelEnabled(level)) return;
  app.addHook('onResponse', async (request, reply) => {
    const outcome = outcomes.get(request)?.();
    const path = request.url.split('?', 1)[0]!;
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    const operation = outcome?.operationName ?? (outcome ? 'anonymous' : '');
    request.log[level](
      {
        method: request.method,
        path,
        operationName: outcome?.operationName,
        status: reply.statusCode,
        durationMs,
        sqlCount: outcome?.sqlCount,
        cost: outcome?.cost,
        traceId: outcome?.traceId,
      },
      `${request.method} ${path}${operation ? ` ${operation}` : ''} ${reply.statusCode} in ${durationMs} ms` +
        (outcome ? ` (${outcome.sqlCount} SQL, cost ${outcome.cost})` : ''),
    );
  });
}
