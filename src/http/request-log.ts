import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RequestTrace } from '../trace/request-trace.ts';

/** What the GraphQL route learned about a request, read once its answer is sent. */
export interface GraphQLOutcome {
  readonly operationName: string | undefined;
  readonly sqlCount: number;
  /** The operation's estimated cost (0 when it was refused before pricing). */
  readonly cost: number;
  /** Everything the request recorded (metrics read its statements, cache lookups and outcome). */
  readonly trace: RequestTrace;
  /** The OpenTelemetry trace the request belongs to (when telemetry is configured). */
  readonly traceId?: string;
}

/** Told of every answered GraphQL request, after the answer is sent (metrics/create-metrics.ts, through graphql-route.ts). */
export type GraphQLObserver = (outcome: GraphQLOutcome, status: number, durationMs: number) => void;

const outcomes = new WeakMap<FastifyRequest, () => GraphQLOutcome>();

/** Called by the GraphQL route: `read` runs after the answer is sent, when the counts are final. */
export function noteGraphQLOutcome(request: FastifyRequest, read: () => GraphQLOutcome): void {
  outcomes.set(request, read);
}

/** What the GraphQL route noted of the request (undefined when it was refused before its trace began). */
export function graphQLOutcomeOf(request: FastifyRequest): GraphQLOutcome | undefined {
  return outcomes.get(request)?.();
}

/**
 * One line per answered request at `level` (info in development, debug in production): method,
 * path, operation name, status, duration, SQL count, cost, the OpenTelemetry trace id when
 * telemetry is configured, and the request id that pino's child logger adds as `reqId`. No hook
 * at all when the logger would drop the line.
 */
export function registerRequestLog(app: FastifyInstance, logger: Logger, level: 'info' | 'debug'): void {
  if (!logger.isLevelEnabled(level)) return;
  app.addHook('onResponse', async (request, reply) => {
    const outcome = graphQLOutcomeOf(request);
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
