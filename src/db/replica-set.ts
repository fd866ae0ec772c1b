import pg from 'pg';
import { describeConnectError } from './database-fault.ts';
import { parseLsn } from './lsn.ts';
import { type PrimarySample, replicaLagMs } from './replica-lag.ts';

/** How often each process reads the primary's WAL position and each replica's replayed position. */
export const REPLICA_CHECK_INTERVAL_MS = 200;
/** The same, while a read waits for a replica to replay its consistency token. */
export const WAITING_CHECK_INTERVAL_MS = 20;
/** A check that takes longer counts as the replica being down. */
export const REPLICA_CHECK_TIMEOUT_MS = 1000;
/** Primary positions kept beyond INKQL_REPLICA_MAX_LAG_MS, so that a lag past the limit is still seen as one. */
const SAMPLE_MARGIN_MS = 5000;

export type ReplicaStatus = 'up' | 'lagging' | 'down';

export interface Replica {
  /** `replica 1 (db.internal:5432)`: in traces, logs and /readyz; never the password. */
  readonly name: string;
  status: ReplicaStatus;
  /** The last position it had replayed when checked. */
  replayed: bigint | undefined;
  lagMs: number | undefined;
  /** Why it is down. */
  error: string | undefined;
}

export interface ReplicaSetOptions {
  readonly primaryUrl: string;
  readonly replicaUrls: readonly string[];
  /** A replica further behind than this serves nothing (INKQL_REPLICA_MAX_LAG_MS). */
  readonly maxLagMs: number;
  /** Told when a replica goes down, falls behind or comes back. */
  readonly onChange?: (replica: Replica, previous: ReplicaStatus) => void;
}

export function replicaName(url: string, index: number): string {
  const { hostname, port } = new URL(url);
  return `replica ${index + 1} (${hostname}:${port || 5432})`;
}

function monitorPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: REPLICA_CHECK_TIMEOUT_MS, query_timeout: REPLICA_CHECK_TIMEOUT_MS });
  // A replica that goes away breaks the idle connection: reported by the next check, not a crash.
  pool.on('error', () => {});
  return pool;
}

async function readLsn(pool: pg.Pool, text: string): Promise<bigint> {
  const { rows } = await pool.query<{ lsn: string | null }>(text);
  const lsn = rows[0]?.lsn ? parseLsn(rows[0].lsn) : undefined;
  // null: the server is not in recovery (a promoted or misconfigured "replica").
  if (lsn === undefined) throw new Error(`not a streaming replica (${text} returned ${rows[0]?.lsn ?? 'null'})`);
  return lsn;
}

interface Waiter {
  readonly lsn: bigint;
  readonly resolve: (replica: Replica | undefined) => void;
}

/**
 * What this process knows about the read replicas: each one's status, replayed position and lag,
 * from its own checks (one connection per database, besides the pools). Reads ask it for a
 * replica; a read carrying a consistency token asks for one that has replayed the token's
 * position, and waits a bounded time for one.
 */
export class ReplicaSet {
  readonly replicas: readonly Replica[];
  readonly #options: ReplicaSetOptions;
  readonly #primary: pg.Pool;
  readonly #pools: readonly pg.Pool[];
  #samples: PrimarySample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  #next = 0;
  readonly #waiters = new Set<Waiter>();
  #fastTimer: NodeJS.Timeout | undefined;
  /** The first round sets every status without reporting it as a change. */
  #checked = false;

  constructor(options: ReplicaSetOptions) {
    this.#options = options;
    this.#primary = monitorPool(options.primaryUrl);
    this.#pools = options.replicaUrls.map(monitorPool);
    this.replicas = options.replicaUrls.map((url, index) => ({ name: replicaName(url, index), status: 'down', replayed: undefined, lagMs: undefined, error: 'not checked yet' }));
  }

  /** Checks every replica once, then keeps checking in the background. */
  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), REPLICA_CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** One round: the primary's position, then each replica's replayed position (never two rounds at once). */
  check(): Promise<void> {
    this.#checking ??= this.#round().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #round(): Promise<void> {
    const now = performance.now();
    try {
      this.#samples.push({ at: now, lsn: await readLsn(this.#primary, 'select pg_current_wal_insert_lsn()::text as lsn') });
    } catch {
      // The primary's own outage shows in /readyz; replicas are then judged on older positions.
    }
    const horizon = now - this.#options.maxLagMs - SAMPLE_MARGIN_MS;
    while (this.#samples.length > 1 && this.#samples[0]!.at < horizon) this.#samples.shift();
    await Promise.all(
      this.#pools.map(async (pool, index) => {
        const replica = this.replicas[index]!;
        const previous = replica.status;
        try {
          const replayed = await readLsn(pool, 'select pg_last_wal_replay_lsn()::text as lsn');
          replica.replayed = replayed;
          replica.lagMs = replicaLagMs(this.#samples, replayed, performance.now());
          replica.status = replica.lagMs > this.#options.maxLagMs ? 'lagging' : 'up';
          replica.error = undefined;
        } catch (error) {
          replica.status = 'down';
          replica.error = describeConnectError(error);
        }
        if (replica.status !== previous && (this.#checked || replica.status !== 'up')) this.#options.onChange?.(replica, previous);
      }),
    );
    this.#checked = true;
    this.#settleWaiters();
  }

  /** A replica fit to serve a read now (up and within the lag limit), in turn; undefined when there is none. */
  pick(): Replica | undefined {
    return this.#pickWhere(() => true);
  }

  /**
   * A replica that is fit and has replayed `lsn`, waiting up to `waitMs` for one (checking often
   * meanwhile); undefined when none has by then.
   */
  async pickReplayed(lsn: bigint, waitMs: number): Promise<Replica | undefined> {
    const ready = this.#pickWhere((replica) => replica.replayed !== undefined && replica.replayed >= lsn);
    if (ready || waitMs <= 0 || !this.replicas.some((replica) => replica.status === 'up')) return ready;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        lsn,
        resolve: (replica) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(replica);
        },
      };
      const timer = setTimeout(() => waiter.resolve(undefined), waitMs);
      this.#waiters.add(waiter);
      this.#checkOftenWhileWaiting();
    });
  }

  /** A replica whose connection failed in use: skipped until a check finds it up again. */
  markDown(replica: Replica, error: unknown): void {
    if (replica.status === 'down') return;
    const previous = replica.status;
    replica.status = 'down';
    replica.error = describeConnectError(error);
    this.#options.onChange?.(replica, previous);
  }

  /** The primary's WAL position now: after a commit, a position every replica that has replayed it holds that commit at. */
  currentLsn(): Promise<bigint> {
    return readLsn(this.#primary, 'select pg_current_wal_insert_lsn()::text as lsn');
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#fastTimer);
    for (const waiter of this.#waiters) waiter.resolve(undefined);
    await Promise.all([this.#primary, ...this.#pools].map((pool) => pool.end().catch(() => {})));
  }

  #pickWhere(accept: (replica: Replica) => boolean): Replica | undefined {
    const count = this.replicas.length;
    for (let step = 0; step < count; step++) {
      const replica = this.replicas[(this.#next + step) % count]!;
      if (replica.status === 'up' && accept(replica)) {
        this.#next = (this.#next + step + 1) % count;
        return replica;
      }
    }
    return undefined;
  }

  #settleWaiters(): void {
    for (const waiter of this.#waiters) {
      const replica = this.#pickWhere((candidate) => candidate.replayed !== undefined && candidate.replayed >= waiter.lsn);
      if (replica) waiter.resolve(replica);
    }
  }

  #checkOftenWhileWaiting(): void {
    if (this.#fastTimer) return;
    const tick = async () => {
      await this.check();
      this.#fastTimer = this.#waiters.size > 0 ? setTimeout(() => void tick(), WAITING_CHECK_INTERVAL_MS) : undefined;
    };
    this.#fastTimer = setTimeout(() => void tick(), WAITING_CHECK_INTERVAL_MS);
  }
}
