// The only reader of process.env. Every other module receives a Config, so tests pass their own.
//
// | variable                    | default            | meaning                                         |
// |-----------------------------|--------------------|-------------------------------------------------|
// | PORT                        | 4000               | HTTP port                                       |
// | HOST                        | 127.0.0.1          | HTTP bind address                               |
// | DATABASE_URL                | (unset)            | Postgres URL; unset = embedded PGlite in DATA_DIR |
// | INKQL_DATA_DIR              | ./.inkql           | where the embedded database lives               |
// | REDIS_URL                   | (unset)            | Redis URL; unset = in-memory LRU cache          |
// | NODE_ENV                    | development        | development | production | test                 |
// | INKQL_BATCHING              | on                 | on | off (naive loaders: no batching, no cache) |
// | INKQL_DEBUG_TOKEN           | (unset)            | lets a production request see its trace         |
// | LOG_SQL                     | 0                  | 1 logs every SQL statement                      |
// | INKQL_SLOW_SQL_MS           | 200                | statements slower than this log a warning       |
// | INKQL_SQL_COMMENTS          | on                 | on | off: sqlcommenter comment on each statement |
// | LOG_LEVEL                   | info               | pino level                                      |
// | INKQL_MAX_COST              | 1000               | maximum estimated cost of one operation         |
// | INKQL_MAX_DEPTH             | 10                 | maximum selection depth                         |
// | INKQL_STATEMENT_TIMEOUT_MS  | 5000               | Postgres statement_timeout                      |
// | INKQL_POOL_SIZE             | 10                 | Postgres connections per process                |
// | INKQL_MAX_ALIASES           | 15                 | maximum aliased fields in one document          |
// | INKQL_MAX_TOKENS            | 2000               | maximum lexical tokens in one document          |
// | INKQL_MAX_DIRECTIVES        | 50                 | maximum directive uses in one document          |
// | INKQL_MAX_BODY_BYTES        | 1048576            | maximum request body (413 beyond)               |
// | INKQL_INTROSPECTION         | on (off in prod.)  | on | off: schema introspection                  |
// | INKQL_BUDGET_SIZE           | 0 (budgets off)    | cost points a client's bucket holds             |
// | INKQL_BUDGET_RESTORE_RATE   | 50                 | cost points a bucket regains per second         |
// | INKQL_CACHE                 | on                 | on | off (every cache read misses)              |
// | INKQL_CACHE_MAX_ENTRIES     | 10000              | entries of the in-memory LRU                    |
// | INKQL_CACHE_NAMESPACE       | inkql              | cache key prefix (never `apq`)                  |
// | INKQL_CACHE_TIMEOUT_MS      | 100                | per cache call; slower = a miss                 |
// | INKQL_SHUTDOWN_GRACE_MS     | 10000              | after SIGTERM, time for in-flight requests; then exit 1 |
// | INKQL_FAULT_LOG_INTERVAL_MS | 30000              | a repeated database fault logs one line per interval |

export const DEFAULT_PORT = 4000;
export const DEFAULT_MAX_COST = 1000;
export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_MAX_ALIASES = 15;
export const DEFAULT_MAX_TOKENS = 2000;
export const DEFAULT_MAX_DIRECTIVES = 50;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** 0 = no client budgets: the default, so local tools, tests and benchmarks are never throttled. */
export const DEFAULT_BUDGET_SIZE = 0;
export const DEFAULT_BUDGET_RESTORE_RATE = 50;
export const DEFAULT_BUDGET_KEY_PREFIX = 'inkql:budget:';
export const DEFAULT_SLOW_SQL_MS = 200;
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
export const DEFAULT_CACHE_NAMESPACE = 'inkql';
export const DEFAULT_CACHE_TIMEOUT_MS = 100;
/** After SIGTERM, in-flight requests get this long to finish before the process exits non-zero. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** A database fault that keeps happening (an outage) is logged once, then as one counted line per interval. */
export const DEFAULT_FAULT_LOG_INTERVAL_MS = 30_000;

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly redisUrl: string | undefined;
  readonly nodeEnv: NodeEnv;
  /** Traces, the per-request batching switch and friendlier errors are on in development only. */
  readonly development: boolean;
  readonly batching: boolean;
  readonly debugToken: string | undefined;
  readonly logSql: boolean;
  /** Statements slower than this are logged as warnings, LOG_SQL or not. */
  readonly slowSqlMs: number;
  /** Append a sqlcommenter comment (operation name, field path) to each statement a field runs. */
  readonly sqlComments: boolean;
  readonly logLevel: string;
  readonly maxCost: number;
  readonly maxDepth: number;
  readonly statementTimeoutMs: number;
  readonly poolSize: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxBodyBytes: number;
  /** Schema introspection; off in production unless INKQL_INTROSPECTION=on. */
  readonly introspection: boolean;
  /** Cost points per client bucket; 0 turns client budgets off. */
  readonly budgetSize: number;
  /** Cost points a bucket regains per second. */
  readonly budgetRestoreRate: number;
  /** Redis key prefix of client buckets (not an environment variable: tests isolate themselves with it). */
  readonly budgetKeyPrefix: string;
  /** false: the cache is bypassed (every read misses), e.g. to count cold-cache SQL. */
  readonly cache: boolean;
  readonly cacheMaxEntries: number;
  readonly cacheNamespace: string;
  readonly cacheTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly faultLogIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(name, raw, `one of ${choices.join(', ')}`);
  }
  return raw as T;
}

function readUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, raw, `a URL (${protocols.join(' or ')})`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, raw, `a URL (${protocols.join(' or ')})`);
  return raw;
}

/** keyv 5.6's getMany mishandles keys that start with `<namespace>:`; APQ keys start with `apq:`. */
function readNamespace(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw) || raw === 'apq') {
    throw new ConfigError(name, raw, '1 to 64 letters, digits, "_", "." or "-", and not "apq"');
  }
  return raw;
}

function readFlag(env: Env, name: string): boolean {
  return readChoice(env, name, ['0', '1', 'true', 'false'], '0') === '1' || env[name] === 'true';
}

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv = readChoice<NodeEnv>(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const config: Config = {
    port: readInt(env, 'PORT', DEFAULT_PORT, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: env.INKQL_DATA_DIR || './.inkql',
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    nodeEnv,
    development: nodeEnv !== 'production',
    batching: readChoice(env, 'INKQL_BATCHING', ['on', 'off'], 'on') === 'on',
    debugToken: env.INKQL_DEBUG_TOKEN || undefined,
    logSql: readFlag(env, 'LOG_SQL'),
    slowSqlMs: readInt(env, 'INKQL_SLOW_SQL_MS', DEFAULT_SLOW_SQL_MS, 0, 600_000),
    sqlComments: readChoice(env, 'INKQL_SQL_COMMENTS', ['on', 'off'], 'on') === 'on',
    logLevel: readChoice(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    maxCost: readInt(env, 'INKQL_MAX_COST', DEFAULT_MAX_COST, 1, 1_000_000),
    maxDepth: readInt(env, 'INKQL_MAX_DEPTH', DEFAULT_MAX_DEPTH, 1, 100),
    statementTimeoutMs: readInt(env, 'INKQL_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS, 1, 600_000),
    poolSize: readInt(env, 'INKQL_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 200),
    maxAliases: readInt(env, 'INKQL_MAX_ALIASES', DEFAULT_MAX_ALIASES, 0, 10_000),
    maxTokens: readInt(env, 'INKQL_MAX_TOKENS', DEFAULT_MAX_TOKENS, 100, 1_000_000),
    maxDirectives: readInt(env, 'INKQL_MAX_DIRECTIVES', DEFAULT_MAX_DIRECTIVES, 0, 10_000),
    maxBodyBytes: readInt(env, 'INKQL_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1024, 100 * 1024 * 1024),
    introspection: readChoice(env, 'INKQL_INTROSPECTION', ['on', 'off'], nodeEnv === 'production' ? 'off' : 'on') === 'on',
    budgetSize: readInt(env, 'INKQL_BUDGET_SIZE', DEFAULT_BUDGET_SIZE, 0, 1_000_000_000),
    budgetRestoreRate: readInt(env, 'INKQL_BUDGET_RESTORE_RATE', DEFAULT_BUDGET_RESTORE_RATE, 1, 1_000_000_000),
    budgetKeyPrefix: DEFAULT_BUDGET_KEY_PREFIX,
    cache: readChoice(env, 'INKQL_CACHE', ['on', 'off'], 'on') === 'on',
    cacheMaxEntries: readInt(env, 'INKQL_CACHE_MAX_ENTRIES', DEFAULT_CACHE_MAX_ENTRIES, 1, 10_000_000),
    cacheNamespace: readNamespace(env, 'INKQL_CACHE_NAMESPACE', DEFAULT_CACHE_NAMESPACE),
    cacheTimeoutMs: readInt(env, 'INKQL_CACHE_TIMEOUT_MS', DEFAULT_CACHE_TIMEOUT_MS, 1, 60_000),
    shutdownGraceMs: readInt(env, 'INKQL_SHUTDOWN_GRACE_MS', SHUTDOWN_GRACE_MS, 100, 600_000),
    faultLogIntervalMs: readInt(env, 'INKQL_FAULT_LOG_INTERVAL_MS', DEFAULT_FAULT_LOG_INTERVAL_MS, 100, 3_600_000),
    ...overrides,
  };
  return Object.freeze(config);
}

export interface TestServices {
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
}

/** The real services the test suite may use besides embedded PGlite (set by .ci/run). */
export function loadTestServices(env: Env = process.env): TestServices {
  return Object.freeze({
    databaseUrl: readUrl(env, 'TEST_DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: readUrl(env, 'TEST_REDIS_URL', ['redis:', 'rediss:']),
  });
}
