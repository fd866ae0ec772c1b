import cluster from 'node:cluster';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { embeddedDatabaseMarker } from './admin/admin-socket-path.ts';
import { NO_SERVER, requestTokenFromServer } from './admin/request-token.ts';
import { startAdminSocket } from './admin/start-admin-socket.ts';
import { type IssuedToken, issueAuthorToken, UnknownAuthorError } from './auth/issue-author-token.ts';
import { planWorkers, WorkerPlanError } from './cluster/plan-workers.ts';
import { superviseWorkers, WORKER_READY } from './cluster/supervise-workers.ts';
import { type Config, ConfigError, type DatabaseConfig, loadConfig } from './config.ts';
import { createLogger } from './create-logger.ts';
import { createDatabase, type DatabaseHandle } from './db/create-database.ts';
import { describeConnectError } from './db/database-fault.ts';
import { createFaultLog } from './db/fault-log.ts';
import { migrateToLatest, MigrationError } from './db/migrate-to-latest.ts';
import { countPostsInDatabase, DEMO_SIZE, seedDatabase } from './db/seed-database.ts';
import { extractManifest } from './documents/extract-documents.ts';
import { createServer } from './server.ts';
import { startTelemetry } from './telemetry/start-telemetry.ts';
import { createStatementObserver } from './trace/statement-observer.ts';
import { TRACING } from './trace/tracing.ts';

const USAGE = `usage: node --import tsx src/main.ts <command>
  serve                                   start the GraphQL server (npm start)
  migrate                                 apply pending migrations (npm run db:migrate)
  seed [--posts N] [--authors N] [--tags N] [--seed N] [--reset]
                                          fill the database with generated demo data (npm run db:seed)
  token --author ID                       print a new API token for author ID (npm run token -- --author 1)
  documents extract DIR [--out FILE] [--exclude TEXT]
                                          build a trusted-documents manifest from the operations under DIR,
                                          leaving out files whose path contains TEXT (npm run documents --
                                          extract bench/operations --exclude postgraphile- --out manifest.json)`;

/** The author whose token a development server prints at every start and puts in the explorer's mutation example. */
const DEMO_TOKEN_AUTHOR_ID = 1;

/** Where the data lives, for messages: never print a password. */
function describeDatabase(database: DatabaseConfig): string {
  if (!database.url) return `embedded PGlite in ${database.dataDir}`;
  const url = new URL(database.url);
  const replicas = database.replicaUrls?.length ? ` with ${database.replicaUrls.length} read replica${database.replicaUrls.length > 1 ? 's' : ''}` : '';
  return `Postgres at ${url.hostname}:${url.port || 5432}${url.pathname}${replicas}`;
}

async function openDatabase(config: Config, logger: Logger, poolSize = config.database.poolSize): Promise<DatabaseHandle> {
  const logFault = createFaultLog(logger, config.log.faultLogIntervalMs);
  const database = await createDatabase({ ...config.database, poolSize }, {
    observe: createStatementObserver({ logger, logSql: config.log.sql, slowSqlMs: config.log.slowSqlMs }),
    sqlComments: config.trace.sqlComments,
    onPoolError: (error) => logFault('warn', 'database connection lost', error),
    onReplicaChange: (replica, previous) =>
      replica.status === 'up'
        ? logger.info({ replica: replica.name, previous }, 'read replica serving again')
        : logger.warn({ replica: replica.name, status: replica.status, lagMs: replica.lagMs, error: replica.error }, `read replica ${replica.status}: reads go elsewhere`),
  });
  try {
    await database.ping();
  } catch (error) {
    await database.close().catch(() => {});
    // No retry loop: exit non-zero and let the supervisor (systemd, Kubernetes, compose) restart us.
    throw new Error(`cannot reach ${describeDatabase(config.database)}: ${describeConnectError(error)}`);
  }
  return database;
}

/** The demo token's lines, plain text rather than a log object, so a person sees and copies it at once. */
function demoTokenLines(issued: IssuedToken): string {
  return (
    `\nDemo API token for author ${issued.authorId} (${issued.authorName}), new at every development start:\n` +
    `  Authorization: Bearer ${issued.token}\n` +
    `The explorer's "Create a post" tab has it filled in. npm run token -- --author N issues others.\n\n`
  );
}

async function serve(config: Config, logger: Logger): Promise<void> {
  const started = performance.now();
  const plan = planWorkers(config);
  if (plan.workers > 1 && cluster.isPrimary) {
    // Migrated once, here, before any worker serves; each worker then opens its own pool.
    const database = await openDatabase(config, logger, 1);
    try {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
    } finally {
      await database.close();
    }
    superviseWorkers({ workers: plan.workers, shutdownGraceMs: config.http.shutdownGraceMs, logger });
    return;
  }
  const database = await openDatabase(config, logger, plan.poolSize);
  // Opened before migrating and seeding, so a token command run meanwhile waits for the server
  // instead of opening the same embedded database itself.
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const adminSocket =
    database.kind === 'pglite'
      ? await startAdminSocket({
          dataDir: config.database.dataDir,
          logger,
          issueToken: async (authorId) => {
            await ready;
            return issueAuthorToken(database.db, authorId);
          },
        })
      : undefined;
  const applied = cluster.isWorker ? [] : await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');
  if (database.kind === 'pglite' && (await countPostsInDatabase(database.db)) === 0) {
    logger.info(DEMO_SIZE, 'empty embedded database: seeding demo data');
    await seedDatabase(database.db, DEMO_SIZE);
  }
  markReady();
  // Only its hash is stored, so a token cannot be shown again: a development start issues a new one.
  // One token per server, not one per worker.
  const demo = config.development && !cluster.isWorker
    ? await issueAuthorToken(database.db, DEMO_TOKEN_AUTHOR_ID).catch((error: unknown) => {
        if (error instanceof UnknownAuthorError) return undefined;
        throw error;
      })
    : undefined;
  const telemetry = await startTelemetry(config.telemetry);
  const server = await createServer({ config, database, logger, demoToken: demo?.token, tracing: telemetry ? { ...TRACING, telemetry } : TRACING });
  const url = await server.listen();
  const readyLog = {
    url,
    database: describeDatabase(config.database),
    batching: config.database.batching,
    poolSize: plan.poolSize,
    ...(config.telemetry.endpoint ? { telemetry: { endpoint: config.telemetry.endpoint, sampler: config.telemetry.sampler } } : {}),
    startupMs: Math.round(performance.now() - started),
  };
  if (cluster.isWorker) {
    logger.info(readyLog, `worker ready at ${url}`);
    process.send?.({ type: WORKER_READY, url });
  } else {
    logger.info(readyLog, `inkql ready at ${url}`);
  }
  if (demo) process.stdout.write(demoTokenLines(demo));

  // Apollo's own signal handlers are off (stopOnTerminationSignals: false): this is the one place
  // that stops the server. Fastify stops accepting connections at once, answers new requests on
  // kept-alive connections with 503, and lets in-flight requests finish; server.close() resolves
  // only once every started answer has been written out (src/http/drain-on-close.ts), so exit 0 means
  // no answer was cut. A client that will not take its answer holds the shutdown to the grace
  // period, and the exit code is then 1.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.http.shutdownGraceMs;
    logger.info({ signal, graceMs }, 'shutting down: finishing in-flight requests');
    // Not unref'd: a shutdown stuck on a request or connection that never ends must still exit.
    setTimeout(() => {
      logger.error({ graceMs }, `shutdown grace period of ${graceMs} ms expired with requests still in flight: forcing exit`);
      process.exit(1);
    }, graceMs);
    try {
      await server.close();
      // After the last request: its spans are among those sent.
      await telemetry?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'could not send the last spans'));
      await adminSocket?.close();
      await database.close();
      logger.info({ signal }, 'shut down cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function migrate(config: Config, logger: Logger): Promise<void> {
  const database = await openDatabase(config, logger);
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await database.close();
  }
}

async function seed(config: Config, logger: Logger, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      posts: { type: 'string', default: String(DEMO_SIZE.posts) },
      authors: { type: 'string', default: String(DEMO_SIZE.authors) },
      tags: { type: 'string', default: String(DEMO_SIZE.tags) },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const count = (name: string, raw: string | undefined, min: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, got ${raw}`);
    return value;
  };
  const size = { posts: count('posts', values.posts, 0), authors: count('authors', values.authors, 1), tags: count('tags', values.tags, 0) };
  const database = await openDatabase(config, logger);
  try {
    await migrateToLatest(database.db);
    const started = performance.now();
    let lastReport = 0;
    await seedDatabase(database.db, size, {
      seed: values.seed === undefined ? undefined : count('seed', values.seed, 0),
      reset: values.reset,
      onProgress: (done, total) => {
        if (done === total || performance.now() - lastReport > 500) {
          lastReport = performance.now();
          process.stderr.write(`\rseeding posts: ${done}/${total}`);
        }
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write('\n');
    console.log(`seeded ${size.authors} authors, ${size.tags} tags, ${size.posts} posts into ${describeDatabase(config.database)} in ${seconds} s`);
  } finally {
    await database.close();
  }
}

function printToken(issued: IssuedToken): void {
  process.stderr.write(`API token for author ${issued.authorId} (${issued.authorName}); it is shown only once:\n`);
  console.log(issued.token);
}

async function token(config: Config, logger: Logger, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { author: { type: 'string' } } });
  const authorId = Number(values.author);
  if (!Number.isInteger(authorId) || authorId < 1) throw new Error(`--author must be an author's database id (an integer >= 1), got ${values.author}`);
  if (!config.database.url) {
    // A running server holds the embedded database: a token written here would land in a copy it never reads.
    const fromServer = await requestTokenFromServer(config.database.dataDir, authorId);
    if (fromServer !== NO_SERVER) return printToken(fromServer);
    if (existsSync(embeddedDatabaseMarker(config.database.dataDir))) {
      throw new Error(
        `the embedded database in ${config.database.dataDir} is open in another process that offers no token socket, or a server ` +
          `stopped without closing it. Start the server (npm start) and run this again while it runs: the server issues ` +
          `the token. Or stop the process that holds the database.`,
      );
    }
  }
  const database = await openDatabase(config, logger);
  try {
    await migrateToLatest(database.db);
    printToken(
      await issueAuthorToken(database.db, authorId).catch((error: unknown) => {
        throw error instanceof UnknownAuthorError ? new Error(`${error.message} in ${describeDatabase(config.database)}`) : error;
      }),
    );
  } finally {
    await database.close();
  }
}

/** Needs no database and no configuration: a build step of the frontend, not of the server. */
function documents(args: string[]): void {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, exclude: { type: 'string', multiple: true } } });
  const [subcommand, dir, ...extra] = positionals;
  if (subcommand !== 'extract' || !dir || extra.length > 0) throw new Error('usage: documents extract DIR [--out FILE] [--exclude TEXT]');
  const manifest = extractManifest(dir, values.exclude ?? []);
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (values.out) {
    writeFileSync(values.out, json);
    process.stderr.write(`${manifest.operations.length} operations from ${dir} written to ${values.out}\n`);
  } else {
    process.stdout.write(json);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.log, config.development);
  try {
    if (command === 'serve') await serve(config, logger);
    else if (command === 'migrate') await migrate(config, logger);
    else if (command === 'seed') await seed(config, logger, rest);
    else if (command === 'token') await token(config, logger, rest);
    else if (command === 'documents') documents(rest);
    else {
      console.error(USAGE);
      process.exit(2);
    }
  } catch (error) {
    if (error instanceof WorkerPlanError) {
      console.error(`configuration error: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof MigrationError) console.error(`migrate failed: ${error.message}`);
    else console.error(`inkql ${command} failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

await main(process.argv.slice(2));
