import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import { scopeOfQuery } from '../trace/field-scope.ts';
import { toDatabaseFault } from './database-fault.ts';
import type { Replica, ReplicaSet } from './replica-set.ts';
import { isMarkedPrimary, type RequestRoute, routeOfTrace } from './request-route.ts';

/** A standby cancels a query whose rows replay is about to remove; the primary can answer it. */
const RECOVERY_CONFLICT = /conflict with recovery/;

/** Failures of a replica after which the statement runs again on the primary. */
function isReplicaFailure(error: unknown): boolean {
  if (toDatabaseFault(error)?.code === 'DATABASE_UNAVAILABLE') return true;
  return RECOVERY_CONFLICT.test(String((error as Error | undefined)?.message ?? ''));
}

interface Bound {
  readonly driver: Driver;
  readonly connection: DatabaseConnection;
  readonly replica?: Replica;
}

/**
 * Statements of one request go to the database its route chose (db/request-route.ts): the primary
 * or one replica. Kysely acquires a connection before it says which statement will run on it,
 * so this connection is a promise: it takes a real connection from the right pool at its first
 * statement, and keeps it (a transaction's statements stay together; `begin` is the primary's).
 * A read whose replica fails (connection lost or refused, a recovery conflict) is marked down and
 * the statement runs again on the primary, with the rest of its request: a reader sees no error.
 */
class RoutingConnection implements DatabaseConnection {
  #bound: Bound | undefined;
  #transaction = false;

  constructor(readonly dialect: RoutingDriver) {}

  get bound(): Bound | undefined {
    return this.#bound;
  }

  async bindPrimary(): Promise<DatabaseConnection> {
    this.#transaction = true;
    if (!this.#bound) await this.#bind(undefined);
    return this.#bound!.connection;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const route = this.#routeOf(query);
    if (!this.#bound) {
      const replica = !isMarkedPrimary(query.queryId) && route?.target.kind === 'replica' ? route.target.replica : undefined;
      try {
        await this.#bind(replica);
      } catch (error) {
        if (!replica || !isReplicaFailure(error)) throw error;
        this.#failOver(replica, route, error);
        await this.#bind(undefined);
      }
    }
    const bound = this.#bound!;
    try {
      return await bound.connection.executeQuery<R>(query);
    } catch (error) {
      if (!bound.replica || this.#transaction || !isReplicaFailure(error)) throw error;
      this.#failOver(bound.replica, route, error);
      await this.release();
      await this.#bind(undefined);
      return this.#bound!.connection.executeQuery<R>(query);
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    if (!this.#bound) await this.#bind(undefined);
    yield* this.#bound!.connection.streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    const bound = this.#bound;
    this.#bound = undefined;
    this.#transaction = false;
    if (bound) await bound.driver.releaseConnection(bound.connection);
  }

  #routeOf(query: CompiledQuery): RequestRoute | undefined {
    const scope = scopeOfQuery(query.queryId);
    return scope ? routeOfTrace(scope.trace) : undefined;
  }

  #failOver(replica: Replica, route: RequestRoute | undefined, error: unknown): void {
    this.dialect.replicas.markDown(replica, error);
    route?.fallBack();
  }

  async #bind(replica: Replica | undefined): Promise<void> {
    const driver = replica ? this.dialect.replicaDriver(replica) : this.dialect.primary;
    this.#bound = { driver, connection: await driver.acquireConnection(), replica };
  }
}

class RoutingDriver implements Driver {
  readonly #replicaDrivers: Map<Replica, Driver>;

  constructor(
    readonly primary: Driver,
    replicaDrivers: readonly Driver[],
    readonly replicas: ReplicaSet,
  ) {
    this.#replicaDrivers = new Map(replicas.replicas.map((replica, index) => [replica, replicaDrivers[index]!]));
  }

  replicaDriver(replica: Replica): Driver {
    return this.#replicaDrivers.get(replica)!;
  }

  async init(): Promise<void> {
    await Promise.all([this.primary, ...this.#replicaDrivers.values()].map((driver) => driver.init()));
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const inner = await (connection as RoutingConnection).bindPrimary();
    await this.primary.beginTransaction(inner, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const bound = (connection as RoutingConnection).bound!;
    await bound.driver.commitTransaction(bound.connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const bound = (connection as RoutingConnection).bound!;
    await bound.driver.rollbackTransaction(bound.connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).release();
  }

  async destroy(): Promise<void> {
    await Promise.all([this.primary, ...this.#replicaDrivers.values()].map((driver) => driver.destroy()));
  }
}

/** One Kysely over the primary and its replicas; `replicas[i]` is the dialect of `set.replicas[i]`. */
export function createRoutingDialect(primary: Dialect, replicas: readonly Dialect[], set: ReplicaSet): Dialect {
  return {
    createAdapter: () => primary.createAdapter(),
    createQueryCompiler: () => primary.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => primary.createIntrospector(db),
    createDriver: () =>
      new RoutingDriver(
        primary.createDriver(),
        replicas.map((dialect) => dialect.createDriver()),
        set,
      ),
  };
}
