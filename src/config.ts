import { isIP } from 'node:net';

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
// | INKQL_TRUST_PROXY           | off                | on | off | proxy IPs/CIDRs, comma-separated: whose X-Forwarded-For sets the client address |
// | INKQL_CACHE                 | on                 | on | off (every cache read misses)              |
// | INKQL_CACHE_MAX_ENTRIES     | 10000              | entries of the in-memory LRU                    |
// | INKQL_CACHE_NAMESPACE       | inkql              | cache key prefix (never `apq`)                  |
// | INKQL_CACHE_TIMEOUT_MS      | 100                | per cache call; slower = a miss                 |
// | INKQL_SHUTDOWN_GRACE_MS     | 10000              | after SIGTERM, time for in-flight requests; then exit 1 |
// | INKQL_MAX_DOCUMENT_BYTES    | 65536              | maximum document source, comments included (413) |
// | INKQL_DOCUMENT_CACHE_BYTES  | 33554432           | parsed documents kept, with what hangs off them  |
// | INKQL_CACHE_MAX_BYTES       | 67108864           | bytes of the in-memory LRU                      |
// | INKQL_APQ_MAX_BYTES         | 16777216           | persisted-query text kept per process and in Redis |
// | INKQL_REQUEST_TIMEOUT_MS    | 10000              | a request (headers and body) must arrive within (408) |
// | INKQL_MAX_CONNECTIONS       | 256                | open HTTP connections; more are dropped         |
// | INKQL_MAX_RESPONSE_BYTES    | 16777216           | largest serialized response (RESPONSE_TOO_LARGE) |
// | INKQL_RESPONSE_CACHE        | off                | on | off: whole-response cache of anonymous reads |
// | INKQL_RESPONSE_CACHE_MAX_BYTES | 262144          | largest response body the response cache keeps  |
// | INKQL_RESPONSE_CACHE_MEMORY_BYTES | 67108864     | bytes of responses kept in memory, all together (no REDIS_URL) |
// | INKQL_FAULT_LOG_INTERVAL_MS | 30000              | a repeated database fault logs one line per interval |
// | INKQL_TRUSTED_DOCUMENTS     | (unset)            | path of a trusted-documents manifest (JSON)     |
// | INKQL_TRUSTED_DOCUMENTS_MODE | off               | off | allow | enforce: what runs besides trusted documents |

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
/** Off: the client address is the socket's peer, and X-Forwarded-For is ignored (a client could invent it). */
export const DEFAULT_TRUST_PROXY = false;
export const DEFAULT_SLOW_SQL_MS = 200;
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
export const DEFAULT_CACHE_NAMESPACE = 'inkql';
export const DEFAULT_CACHE_TIMEOUT_MS = 100;
/** After SIGTERM, in-flight requests get this long to finish before the process exits non-zero. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** Source text of one document, comments included: checked before parsing. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024;
export const DEFAULT_DOCUMENT_CACHE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_APQ_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** With INKQL_MAX_BODY_BYTES this bounds the request bodies held at once (256 × 1 MB). */
export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Off by default: whole responses are cached only where a deployment opts in. */
export const DEFAULT_RESPONSE_CACHE = false;
/** A larger response is served but not kept: one entry can never hold more than this. */
export const DEFAULT_RESPONSE_CACHE_MAX_BYTES = 256 * 1024;
/** The in-memory backend's bound on all kept responses together (Redis is bounded by its maxmemory). */
export const DEFAULT_RESPONSE_CACHE_MEMORY_BYTES = 64 * 1024 * 1024;
/** A database fault that keeps happening (an outage) is logged once, then as one counted line per interval. */
export const DEFAULT_FAULT_LOG_INTERVAL_MS = 30_000;

/** Off: trusted documents are a deployment's choice, and need a manifest. */
export const DEFAULT_TRUSTED_DOCUMENTS_MODE = 'off';

/** off: ids are not served; allow: ids and documents run; enforce: only ids of the manifest run. */
export type TrustedDocumentsMode = 'off' | 'allow' | 'enforce';

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
  /** Fastify's `trustProxy`: which proxies' X-Forwarded-For sets the client address (and so its budget). */
  readonly trustProxy: boolean | readonly string[];
  /** false: the cache is bypassed (every read misses), e.g. to count cold-cache SQL. */
  readonly cache: boolean;
  readonly cacheMaxEntries: number;
  readonly cacheNamespace: string;
  readonly cacheTimeoutMs: number;
  readonly shutdownGraceMs: number;
  /** Longest document source (UTF-8 bytes, comments included) accepted for parsing. */
  readonly maxDocumentBytes: number;
  /** Bytes of parsed documents (and the compiled queries and prices derived from them) kept. */
  readonly documentCacheBytes: number;
  /** Bytes the in-memory LRU cache may hold (with cacheMaxEntries, whichever is reached first). */
  readonly cacheMaxBytes: number;
  /** Bytes of persisted-query text kept: per process in memory, in total in Redis. */
  readonly apqMaxBytes: number;
  /** A request's headers and body must arrive within this; 408 otherwise. */
  readonly requestTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxResponseBytes: number;
  /** Whole-response cache of anonymous reads (src/cache/response-cache.ts). */
  readonly responseCache: boolean;
  /** Largest response body (bytes) the response cache stores. */
  readonly responseCacheMaxBytes: number;
  /** Bytes of responses the in-memory backend keeps, all together. */
  readonly responseCacheMemoryBytes: number;
  readonly faultLogIntervalMs: number;
  /** Path of the trusted-documents manifest; required unless the mode is off. */
  readonly trustedDocuments: string | undefined;
  readonly trustedDocumentsMode: TrustedDocumentsMode;
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

/** proxy-addr's names for ranges, accepted in INKQL_TRUST_PROXY beside addresses and CIDRs. */
const PROXY_RANGE_NAMES: ReadonlySet<string> = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `on` | `off` | comma-separated proxy addresses, CIDR ranges or range names, as Fastify's
 * `trustProxy` takes them. No hop count: Fastify 5 trusts nothing for a number (it cannot check the
 * immediate peer), so a count would silently do nothing.
 */
function readTrustProxy(env: Env, name: string, fallback: boolean): boolean | readonly string[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  const ranges = raw.split(',').map((part) => part.trim());
  const isRange = (range: string) => {
    if (PROXY_RANGE_NAMES.has(range)) return true;
    const [address, bits, ...rest] = range.split('/');
    const version = isIP(address ?? '');
    if (version === 0 || rest.length > 0) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
  };
  if (ranges.every(isRange)) return Object.freeze(ranges);
  throw new ConfigError(name, raw, 'on, off, or comma-separated proxy IP addresses, CIDR ranges or loopback/linklocal/uniquelocal');
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
    trustProxy: readTrustProxy(env, 'INKQL_TRUST_PROXY', DEFAULT_TRUST_PROXY),
    cache: readChoice(env, 'INKQL_CACHE', ['on', 'off'], 'on') === 'on',
    cacheMaxEntries: readInt(env, 'INKQL_CACHE_MAX_ENTRIES', DEFAULT_CACHE_MAX_ENTRIES, 1, 10_000_000),
    cacheNamespace: readNamespace(env, 'INKQL_CACHE_NAMESPACE', DEFAULT_CACHE_NAMESPACE),
    cacheTimeoutMs: readInt(env, 'INKQL_CACHE_TIMEOUT_MS', DEFAULT_CACHE_TIMEOUT_MS, 1, 60_000),
    shutdownGraceMs: readInt(env, 'INKQL_SHUTDOWN_GRACE_MS', SHUTDOWN_GRACE_MS, 100, 600_000),
    maxDocumentBytes: readInt(env, 'INKQL_MAX_DOCUMENT_BYTES', DEFAULT_MAX_DOCUMENT_BYTES, 1024, 100 * 1024 * 1024),
    documentCacheBytes: readInt(env, 'INKQL_DOCUMENT_CACHE_BYTES', DEFAULT_DOCUMENT_CACHE_BYTES, 1024 * 1024, 4 * 1024 ** 3),
    cacheMaxBytes: readInt(env, 'INKQL_CACHE_MAX_BYTES', DEFAULT_CACHE_MAX_BYTES, 1024 * 1024, 64 * 1024 ** 3),
    apqMaxBytes: readInt(env, 'INKQL_APQ_MAX_BYTES', DEFAULT_APQ_MAX_BYTES, 1024 * 1024, 64 * 1024 ** 3),
    requestTimeoutMs: readInt(env, 'INKQL_REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS, 100, 600_000),
    maxConnections: readInt(env, 'INKQL_MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
    maxResponseBytes: readInt(env, 'INKQL_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024, 1024 ** 3),
    responseCache: readChoice(env, 'INKQL_RESPONSE_CACHE', ['on', 'off'], DEFAULT_RESPONSE_CACHE ? 'on' : 'off') === 'on',
    responseCacheMaxBytes: readInt(env, 'INKQL_RESPONSE_CACHE_MAX_BYTES', DEFAULT_RESPONSE_CACHE_MAX_BYTES, 1024, 16 * 1024 * 1024),
    responseCacheMemoryBytes: readInt(env, 'INKQL_RESPONSE_CACHE_MEMORY_BYTES', DEFAULT_RESPONSE_CACHE_MEMORY_BYTES, 1024, 16 * 1024 * 1024 * 1024),
    faultLogIntervalMs: readInt(env, 'INKQL_FAULT_LOG_INTERVAL_MS', DEFAULT_FAULT_LOG_INTERVAL_MS, 100, 3_600_000),
    trustedDocuments: env.INKQL_TRUSTED_DOCUMENTS || undefined,
    trustedDocumentsMode: readChoice<TrustedDocumentsMode>(env, 'INKQL_TRUSTED_DOCUMENTS_MODE', ['off', 'allow', 'enforce'], DEFAULT_TRUSTED_DOCUMENTS_MODE),
    ...overrides,
  };
  // A mode without a manifest would refuse every request (enforce) or serve no id (allow).
  if (config.trustedDocumentsMode !== 'off' && !config.trustedDocuments) {
    throw new ConfigError('INKQL_TRUSTED_DOCUMENTS_MODE', config.trustedDocumentsMode, 'off unless INKQL_TRUSTED_DOCUMENTS names a manifest');
  }
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
