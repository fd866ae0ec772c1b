import type { FastifyInstance } from 'fastify';
import { TIMED_OUT, withTimeout } from '../cache/fail-open-guard.ts';
import type { DatabaseHandle } from '../db/create-database.ts';
import type { FaultLog } from '../db/fault-log.ts';

export const READY_TIMEOUT_MS = 1000;

/** `/healthz`: the process answers. `/readyz`: the database answers too, within READY_TIMEOUT_MS (else 503). */
export function registerHealthRoutes(app: FastifyInstance, database: DatabaseHandle, logFault: FaultLog): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      if ((await withTimeout(database.ping(), READY_TIMEOUT_MS)) === TIMED_OUT) throw new Error('database ping timed out');
      return { status: 'ready', database: database.kind };
    } catch (error) {
      logFault('warn', 'readiness check failed', error);
      return reply.code(503).send({ status: 'unavailable', database: database.kind });
    }
  });
}
