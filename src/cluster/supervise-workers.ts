import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** What a worker sends the primary once it listens: `{ type: WORKER_READY, url }`. */
export const WORKER_READY = 'inkql:worker-ready';
/** Time the primary gives its workers beyond their own grace period before it kills them. */
export const SUPERVISOR_GRACE_MARGIN_MS = 2000;

export interface SupervisorOptions {
  readonly workers: number;
  /** Each worker's own limit for draining (INKQL_SHUTDOWN_GRACE_MS). */
  readonly shutdownGraceMs: number;
  readonly logger: Logger;
}

interface ReadyMessage {
  readonly type: typeof WORKER_READY;
  readonly url: string;
}

function isReady(message: unknown): message is ReadyMessage {
  return typeof message === 'object' && message !== null && (message as ReadyMessage).type === WORKER_READY;
}

/**
 * The primary process of `INKQL_WORKERS` > 1: it serves nothing itself. It forks the workers (each
 * runs `serve` and listens on the shared port; node:cluster hands connections round-robin), logs
 * `inkql ready at <url>` once all listen, replaces a worker that dies, and on SIGTERM/SIGINT passes
 * the signal to every worker, which drains as a single process does; it exits 0 only if every
 * worker did. A worker that dies before it ever listened means start-up fails (a bad database,
 * a taken port): the primary stops the others and exits 1 rather than restart it forever.
 */
export function superviseWorkers({ workers, shutdownGraceMs, logger }: SupervisorOptions): void {
  const ready = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let failed = false;

  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isReady(message)) return;
      ready.add(worker);
      if (!announced && ready.size === workers) {
        announced = true;
        logger.info({ url: message.url, workers }, `inkql ready at ${message.url}`);
      } else if (announced) {
        logger.info({ workerPid: worker.process.pid }, 'replacement worker ready');
      }
    });
  };

  const living = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());

  const stop = (signal: NodeJS.Signals, reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: living().length }, reason);
    for (const worker of living()) worker.process.kill(signal);
    // Each worker forces its own exit after its grace period; this catches one that cannot.
    setTimeout(() => {
      const stuck = living();
      logger.error({ workers: stuck.map((worker) => worker.process.pid) }, 'workers still running after the shutdown grace period: killing them');
      for (const worker of stuck) worker.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownGraceMs + SUPERVISOR_GRACE_MARGIN_MS).unref();
  };

  cluster.on('exit', (worker, code, signal) => {
    const wasReady = ready.delete(worker);
    const clean = code === 0 && signal === null;
    if (stopping) {
      if (!clean) failed = true;
      if (living().length === 0) {
        logger.info({ exitCode: failed ? 1 : 0 }, failed ? 'shut down: a worker did not drain cleanly' : 'shut down cleanly');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    if (!wasReady) {
      logger.error({ workerPid: worker.process.pid, code, signal }, 'a worker exited before it was ready: stopping');
      failed = true;
      stop('SIGTERM', 'start-up failed: stopping the other workers');
      if (living().length === 0) process.exit(1);
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, 'worker died: starting a replacement');
    fork();
  });

  process.on('SIGTERM', () => stop('SIGTERM', 'shutting down: every worker finishes its in-flight requests'));
  process.on('SIGINT', () => stop('SIGINT', 'shutting down: every worker finishes its in-flight requests'));
  for (let n = 0; n < workers; n++) fork();
}
