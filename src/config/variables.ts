import { choice, decimal, flag, headerToken, integer, namespace, onOff, origins, type Parser, text, trustProxy, url, urlList, workerCount } from './parsers.ts';

// Every environment variable inkql reads, once: src/config.ts builds the frozen Config from these
// rows (its types too), and docs/configuration.md's table must match them (test/unit/config-docs.test.ts
// renders the expected table from here and names any row that differs).
//
// Adding a variable is one row here plus the same row in docs/configuration.md:
//   variable({ name: 'INKQL_<NAME>', at: 'http.<field>', parse: integer(1, 10), default: 5, meaning: '...' }),
// `at` is `<section>.<field>`: the field appears in that section of Config with the parser's type
// (`| undefined` when the default is `undefined`, shown as "unset"). A section that does not exist
// yet is added to SECTIONS and to the Config interface in src/config.ts. `productionDefault` replaces
// the default when NODE_ENV=production.

/** The sections of Config, each handed whole to the code that uses it. */
export const SECTIONS = ['http', 'database', 'cache', 'responseCache', 'limits', 'budgets', 'trace', 'log', 'metrics', 'telemetry'] as const;
export type Section = (typeof SECTIONS)[number];

/** Where a variable's value lands: `<section>.<field>`, or a top-level field (only NODE_ENV). */
export type Place = `${Section}.${string}` | 'nodeEnv';

export interface Variable<P extends Place = Place, T = unknown> {
  readonly name: string;
  readonly at: P;
  readonly parse: Parser<NonNullable<T>>;
  /** The value when the variable is unset or empty; `undefined` reads as "unset" in the docs. */
  readonly default: T;
  readonly productionDefault?: T;
  /** One line of Markdown, as the docs show it. */
  readonly meaning: string;
}

/** One row, typed so that its default must be a value its parser could have read. */
function variable<const P extends Place, T, const D extends T | undefined>(row: {
  name: string;
  at: P;
  parse: Parser<T>;
  default: D;
  productionDefault?: T;
  meaning: string;
}): Variable<P, T | (undefined extends D ? undefined : never)> {
  return row as unknown as Variable<P, T | (undefined extends D ? undefined : never)>;
}

// The limits are named constants: code and tests refer to them by name.
export const DEFAULT_MAX_COST = 1000;
export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_MAX_ALIASES = 15;
export const DEFAULT_MAX_TOKENS = 2000;
export const DEFAULT_MAX_DIRECTIVES = 50;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Source text of one document, comments included: checked before parsing. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_PREPARED_STATEMENTS = 256;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Server processes sharing one port; each is a full server with its own pool. */
export const MAX_WORKERS = 64;
/**
 * Connections all processes of one server may hold on one Postgres server: Postgres allows 100 by
 * default, and migrations, psql, monitoring and superuser-reserved slots need some.
 */
export const DEFAULT_DB_CONNECTION_BUDGET = 80;
/** With INKQL_MAX_BODY_BYTES this bounds the request bodies held at once (256 × 1 MB). */
export const DEFAULT_MAX_CONNECTIONS = 256;

const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const MB = 1024 * 1024;

/** OpenTelemetry's standard sampler names (the SDK's own spelling of OTEL_TRACES_SAMPLER). */
export const OTEL_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type OtelSampler = (typeof OTEL_SAMPLERS)[number];

export const VARIABLES = [
  variable({ name: 'PORT', at: 'http.port', parse: integer(0, 65535), default: 4000, meaning: 'HTTP port' }),
  variable({ name: 'HOST', at: 'http.host', parse: text, default: '127.0.0.1', meaning: 'bind address' }),
  variable({
    name: 'DATABASE_URL',
    at: 'database.url',
    parse: url(['postgres:', 'postgresql:']),
    default: undefined,
    meaning: 'Postgres URL; unset = embedded PGlite under `INKQL_DATA_DIR`',
  }),
  variable({
    name: 'DATABASE_REPLICA_URLS',
    at: 'database.replicaUrls',
    parse: urlList(['postgres:', 'postgresql:']),
    default: undefined,
    meaning: 'comma-separated Postgres URLs of streaming replicas of `DATABASE_URL`: queries read from them, mutations write to the primary',
  }),
  variable({
    name: 'INKQL_REPLICA_MAX_LAG_MS',
    at: 'database.replicaMaxLagMs',
    parse: integer(0, 3_600_000),
    default: 2000,
    meaning: 'a replica further behind the primary than this serves no reads until it catches up',
  }),
  variable({
    name: 'INKQL_CONSISTENCY_WAIT_MS',
    at: 'database.consistencyWaitMs',
    parse: integer(0, 60_000),
    default: 500,
    meaning: 'how long a read sending `X-Inkql-Consistency` waits for a replica to replay that write before the primary serves it',
  }),
  variable({ name: 'INKQL_DATA_DIR', at: 'database.dataDir', parse: text, default: './.inkql', meaning: 'where the embedded database lives' }),
  variable({
    name: 'REDIS_URL',
    at: 'cache.redisUrl',
    parse: url(['redis:', 'rediss:']),
    default: undefined,
    meaning: 'Redis for the shared cache (and client budgets); unset = in-memory',
  }),
  variable({
    name: 'NODE_ENV',
    at: 'nodeEnv',
    parse: choice(NODE_ENVS),
    default: 'development',
    meaning: '`production` hides traces unless the debug token is sent',
  }),
  variable({
    name: 'INKQL_BATCHING',
    at: 'database.batching',
    parse: onOff,
    default: true,
    meaning: '`off` = naive loaders (no batching, no memo), to show the N+1',
  }),
  variable({
    name: 'INKQL_DEBUG_TOKEN',
    at: 'trace.debugToken',
    parse: text,
    default: undefined,
    meaning: '`X-Inkql-Debug-Token` value that unlocks traces in production',
  }),
  variable({ name: 'LOG_SQL', at: 'log.sql', parse: flag, default: false, meaning: '`1` logs every SQL statement with its duration, operation name and path' }),
  variable({
    name: 'INKQL_SLOW_SQL_MS',
    at: 'log.slowSqlMs',
    parse: integer(0, 600_000),
    default: 200,
    meaning: "a request's statements slower than this are logged as warnings, always",
  }),
  variable({ name: 'INKQL_SQL_COMMENTS', at: 'trace.sqlComments', parse: onOff, default: true, meaning: '`off` drops the sqlcommenter comment from statements' }),
  variable({
    name: 'LOG_LEVEL',
    at: 'log.level',
    parse: choice(LOG_LEVELS),
    default: 'info',
    meaning: 'pino log level; one line per request at `info` in development, `debug` in production',
  }),
  variable({ name: 'INKQL_MAX_COST', at: 'limits.maxCost', parse: integer(1, 1_000_000), default: DEFAULT_MAX_COST, meaning: 'maximum estimated cost of one operation' }),
  variable({ name: 'INKQL_MAX_DEPTH', at: 'limits.maxDepth', parse: integer(1, 100), default: DEFAULT_MAX_DEPTH, meaning: 'maximum selection depth' }),
  variable({
    name: 'INKQL_STATEMENT_TIMEOUT_MS',
    at: 'database.statementTimeoutMs',
    parse: integer(1, 600_000),
    default: DEFAULT_STATEMENT_TIMEOUT_MS,
    meaning: 'Postgres `statement_timeout`',
  }),
  variable({
    name: 'INKQL_PREPARED_STATEMENTS',
    at: 'database.preparedStatements',
    parse: integer(0, 100_000),
    default: DEFAULT_PREPARED_STATEMENTS,
    meaning: 'distinct statement texts prepared on each Postgres connection (parsed and planned once); later texts run unprepared, so clients cannot grow the plans Postgres keeps per connection',
  }),
  variable({ name: 'INKQL_POOL_SIZE', at: 'database.poolSize', parse: integer(1, 200), default: 10, meaning: 'Postgres connections per process' }),
  variable({
    name: 'INKQL_WORKERS',
    at: 'http.workers',
    parse: workerCount(MAX_WORKERS),
    default: 1,
    meaning: 'server processes on one port (`node:cluster`): a number, or `auto` for one per core; more than 1 needs `REDIS_URL` and `DATABASE_URL`',
  }),
  variable({
    name: 'INKQL_DB_CONNECTION_BUDGET',
    at: 'database.connectionBudget',
    parse: integer(1, 10_000),
    default: DEFAULT_DB_CONNECTION_BUDGET,
    meaning: 'Postgres connections all worker processes together may hold on each database server; a pool is `min(INKQL_POOL_SIZE, budget / INKQL_WORKERS)`, minus one for the replica checks when there are replicas',
  }),
  variable({
    name: 'INKQL_MAX_ALIASES',
    at: 'limits.maxAliases',
    parse: integer(0, 10_000),
    default: DEFAULT_MAX_ALIASES,
    meaning: 'maximum aliased fields in one document',
  }),
  variable({
    name: 'INKQL_MAX_TOKENS',
    at: 'limits.maxTokens',
    parse: integer(100, 1_000_000),
    default: DEFAULT_MAX_TOKENS,
    meaning: 'maximum lexical tokens in one document',
  }),
  variable({
    name: 'INKQL_MAX_DIRECTIVES',
    at: 'limits.maxDirectives',
    parse: integer(0, 10_000),
    default: DEFAULT_MAX_DIRECTIVES,
    meaning: 'maximum directive uses in one document',
  }),
  variable({
    name: 'INKQL_MAX_BODY_BYTES',
    at: 'http.maxBodyBytes',
    parse: integer(1024, 100 * MB),
    default: DEFAULT_MAX_BODY_BYTES,
    meaning: 'maximum request body (413 beyond)',
  }),
  variable({ name: 'INKQL_INTROSPECTION', at: 'limits.introspection', parse: onOff, default: true, productionDefault: false, meaning: 'schema introspection' }),
  // 0 is the default so local tools, tests and benchmarks are never throttled.
  variable({
    name: 'INKQL_BUDGET_SIZE',
    at: 'budgets.size',
    parse: integer(0, 1_000_000_000),
    default: 0,
    meaning: "cost points in each client's bucket; `0` turns client budgets off",
  }),
  variable({
    name: 'INKQL_BUDGET_RESTORE_RATE',
    at: 'budgets.restoreRate',
    parse: integer(1, 1_000_000_000),
    default: 50,
    meaning: 'cost points a bucket regains per second',
  }),
  variable({
    name: 'INKQL_CORS_ORIGINS',
    at: 'http.corsOrigins',
    parse: origins,
    default: undefined,
    meaning:
      'production only: origins a browser page may call from, comma-separated (`https://app.example.com`), or `*`; unset = same origin only. Development allows `localhost`/`127.0.0.1` on any port',
  }),
  // Off: the client address is the socket's peer, and X-Forwarded-For is ignored (a client could invent it).
  variable({
    name: 'INKQL_TRUST_PROXY',
    at: 'http.trustProxy',
    parse: trustProxy,
    default: false,
    meaning:
      "`on`, or comma-separated proxy IPs/CIDRs (`10.0.0.0/8,loopback`): whose `X-Forwarded-For` sets the client address (Fastify's `trustProxy`; used for budgets)",
  }),
  variable({
    name: 'INKQL_CACHE',
    at: 'cache.enabled',
    parse: onOff,
    default: true,
    meaning: '`off` bypasses the cache (every read computes; used to count cold-cache SQL)',
  }),
  variable({
    name: 'INKQL_CACHE_MAX_ENTRIES',
    at: 'cache.maxEntries',
    parse: integer(1, 10_000_000),
    default: 10_000,
    meaning: 'entries of the in-memory LRU cache (without `REDIS_URL`)',
  }),
  variable({
    name: 'INKQL_CACHE_NAMESPACE',
    at: 'cache.namespace',
    parse: namespace,
    default: 'inkql',
    meaning: 'cache key prefix, so deployments or test runs can share a Redis (not `apq`)',
  }),
  variable({
    name: 'INKQL_CACHE_TIMEOUT_MS',
    at: 'cache.timeoutMs',
    parse: integer(1, 60_000),
    default: 100,
    meaning: 'longest one cache call may take before it counts as a miss',
  }),
  variable({
    name: 'INKQL_SHUTDOWN_GRACE_MS',
    at: 'http.shutdownGraceMs',
    parse: integer(100, 600_000),
    default: 10_000,
    meaning: 'after SIGTERM, time for in-flight requests before a forced exit 1',
  }),
  variable({
    name: 'INKQL_MAX_DOCUMENT_BYTES',
    at: 'limits.maxDocumentBytes',
    parse: integer(1024, 100 * MB),
    default: DEFAULT_MAX_DOCUMENT_BYTES,
    meaning: 'longest document source, comments included, accepted for parsing (413 `DOCUMENT_TOO_LARGE` beyond)',
  }),
  variable({
    name: 'INKQL_DOCUMENT_CACHE_BYTES',
    at: 'cache.documentBytes',
    parse: integer(MB, 4 * 1024 * MB),
    default: 32 * MB,
    meaning: 'bytes of parsed documents kept, with the compiled queries and prices that hang off them',
  }),
  variable({
    name: 'INKQL_CACHE_MAX_BYTES',
    at: 'cache.maxBytes',
    parse: integer(MB, 64 * 1024 * MB),
    default: 64 * MB,
    meaning: 'bytes of the in-memory LRU cache (without `REDIS_URL`), besides its entry count',
  }),
  variable({
    name: 'INKQL_APQ_MAX_BYTES',
    at: 'cache.apqMaxBytes',
    parse: integer(MB, 64 * 1024 * MB),
    default: 16 * MB,
    meaning: 'bytes of persisted-query text kept per process, or in Redis in total; the oldest go first',
  }),
  variable({
    name: 'INKQL_REQUEST_TIMEOUT_MS',
    at: 'http.requestTimeoutMs',
    parse: integer(100, 600_000),
    default: DEFAULT_REQUEST_TIMEOUT_MS,
    meaning: "a request's headers and body must arrive within this, else 408 `REQUEST_TIMEOUT`",
  }),
  variable({
    name: 'INKQL_MAX_CONNECTIONS',
    at: 'http.maxConnections',
    parse: integer(1, 1_000_000),
    default: DEFAULT_MAX_CONNECTIONS,
    meaning: 'open HTTP connections per process; more are closed at once',
  }),
  variable({
    name: 'INKQL_MAX_RESPONSE_BYTES',
    at: 'limits.maxResponseBytes',
    parse: integer(64 * 1024, 1024 * MB),
    default: DEFAULT_MAX_RESPONSE_BYTES,
    meaning: 'largest serialized response; a bigger one is replaced by `RESPONSE_TOO_LARGE`',
  }),
  // Off by default: whole responses are cached only where a deployment opts in.
  variable({
    name: 'INKQL_RESPONSE_CACHE',
    at: 'responseCache.enabled',
    parse: onOff,
    default: false,
    meaning: '`on` caches whole responses of anonymous reads, with ETags ("Response cache")',
  }),
  // A larger response is served but not kept: one entry can never hold more than this.
  variable({
    name: 'INKQL_RESPONSE_CACHE_MAX_BYTES',
    at: 'responseCache.maxBytes',
    parse: integer(1024, 16 * MB),
    default: 256 * 1024,
    meaning: 'largest response body the response cache keeps (larger ones are served, not kept)',
  }),
  // Redis is bounded by its own maxmemory.
  variable({
    name: 'INKQL_RESPONSE_CACHE_MEMORY_BYTES',
    at: 'responseCache.memoryBytes',
    parse: integer(1024, 16 * 1024 * MB),
    default: 64 * MB,
    meaning: 'bytes of responses the in-memory backend keeps, all together (oldest dropped first)',
  }),
  variable({
    name: 'INKQL_FAULT_LOG_INTERVAL_MS',
    at: 'log.faultLogIntervalMs',
    parse: integer(100, 3_600_000),
    default: 30_000,
    meaning: 'a database fault that keeps recurring is logged once, then as one counted line per interval',
  }),
  variable({
    name: 'INKQL_TRUSTED_DOCUMENTS',
    at: 'limits.trustedDocuments',
    parse: text,
    default: undefined,
    meaning:
      "path of a trusted-documents manifest (key-value or Apollo's persisted-query list), prepared at start-up ([trusted documents](trusted-documents.md))",
  }),
  variable({
    name: 'INKQL_TRUSTED_DOCUMENTS_MODE',
    at: 'limits.trustedDocumentsMode',
    parse: choice(['off', 'allow', 'enforce']),
    default: 'off',
    meaning:
      "`allow`: the manifest's ids run beside any document; `enforce`: only they run (400 `PERSISTED_QUERY_NOT_ALLOWED` otherwise); both need `INKQL_TRUSTED_DOCUMENTS`",
  }),
  variable({
    name: 'INKQL_METRICS',
    at: 'metrics.enabled',
    parse: onOff,
    // Off by default: a scrape shows operation and field names, and watching every request costs CPU.
    default: false,
    meaning: '`on` serves `GET /metrics` in Prometheus text format, the count of the N+1 watch among them ([metrics](operations.md#metrics)); `off` loads none of it (the N+1 watch still logs)',
  }),
  variable({
    name: 'INKQL_METRICS_TOKEN',
    at: 'metrics.token',
    parse: headerToken,
    default: undefined,
    meaning: '`Authorization: Bearer` value that `GET /metrics` then requires (401 without it); unset = open',
  }),
  variable({
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    at: 'telemetry.endpoint',
    parse: url(['http:', 'https:']),
    default: undefined,
    meaning: 'OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`); unset = no OpenTelemetry SDK is loaded',
  }),
  variable({ name: 'OTEL_SERVICE_NAME', at: 'telemetry.serviceName', parse: text, default: 'inkql', meaning: "the spans' `service.name`" }),
  variable({
    name: 'OTEL_TRACES_SAMPLER',
    at: 'telemetry.sampler',
    parse: choice(OTEL_SAMPLERS),
    default: 'parentbased_always_on',
    meaning: 'which requests are traced: `always_on`, `always_off`, `traceidratio`, or `parentbased_*` of these (follow an incoming `traceparent`)',
  }),
  variable({
    name: 'OTEL_TRACES_SAMPLER_ARG',
    at: 'telemetry.samplerArg',
    parse: decimal(0, 1),
    default: 1,
    meaning: 'the ratio of traces sampled by `traceidratio` and `parentbased_traceidratio`',
  }),
] as const;
