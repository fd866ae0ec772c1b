import type { FastifyInstance } from 'fastify';
import { TIMED_OUT, withTimeout } from '../cache/fail-open-guard.ts';
import type { DatabaseHandle } from '../db/create-database.ts';
import type { FaultLog } from '../db/fault-log.ts';
import type { ReplicaSet } from '../db/replica-set.ts';

export const READY_TIMEOUT_MS = 1000;

/** Each replica as this process last checked it; a replica down or behind leaves the process ready (the primary serves). */
function replicaReport(replicas: ReplicaSet | undefined): object {
  if (!replicas) return {};
  return {
    replicas: replicas.replicas.map(({ name, status, lagMs, error }) => ({
      name,
      status,
      ...(lagMs === undefined || status === 'down' ? {} : { lagMs: Math.round(lagMs) }),
      ...(error ? { error } : {}),
    })),
  };
}

/**
 * `/healthz`: the process answers. `/readyz`: the database (the primary) answers too, within
 * READY_TIMEOUT_MS (else 503); with read replicas it lists each one's status and lag.
 */
export function registerHealthRoutes(app: FastifyInstance, database: DatabaseHandle, logFault: FaultLog): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      if ((await withTimeout(database.ping(), READY_TIMEOUT_MS)) === TIMED_OUT) throw new Error('database ping timed out');
      return { status: 'ready', database: database.kind, ...replicaReport(database.replicas) };
    } catch (error) {
      logFault('warn', 'readiness check failed', error);
      return reply.code(503).send({ status: 'unavailable', database: database.kind, ...replicaReport(database.replicas) });
    }
  });
}
