// The only reader of process.env. Every other module receives its own section of a Config, so tests
// pass their own. The variables, their defaults and parsers are one table: src/config/variables.ts.
import { type NodeEnv, type Place, type Section, SECTIONS, type Variable, VARIABLES } from './config/variables.ts';

import { ConfigError, url } from './config/parsers.ts';

export { ConfigError };
export {
  DEFAULT_DB_CONNECTION_BUDGET,
  DEFAULT_MAX_ALIASES,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_DIRECTIVES,
  DEFAULT_MAX_DOCUMENT_BYTES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_TOKENS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_PREPARED_STATEMENTS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  type NodeEnv,
} from './config/variables.ts';

/** Redis key prefix of client buckets: not a variable, tests isolate themselves with it. */
export const DEFAULT_BUDGET_KEY_PREFIX = 'inkql:budget:';

type Row = (typeof VARIABLES)[number];
type ValueOf<R> = R extends Variable<Place, infer T> ? T : never;
/** The fields the table places in one section, typed by their parsers. */
type FieldsAt<S extends Section> = { readonly [R in Row as R['at'] extends `${S}.${infer Field}` ? Field : never]: ValueOf<R> };

export type HttpConfig = FieldsAt<'http'>;
export type DatabaseConfig = FieldsAt<'database'>;
export type CacheConfig = FieldsAt<'cache'>;
export type ResponseCacheConfig = FieldsAt<'responseCache'>;
export type LimitsConfig = FieldsAt<'limits'>;
export type BudgetsConfig = FieldsAt<'budgets'> & { readonly keyPrefix: string };
export type TraceConfig = FieldsAt<'trace'>;
export type LogConfig = FieldsAt<'log'>;
export type MetricsConfig = FieldsAt<'metrics'>;
/** off: ids are not served; allow: ids and documents run; enforce: only ids of the manifest run. */
export type TrustedDocumentsMode = LimitsConfig['trustedDocumentsMode'];
export type TelemetryConfig = FieldsAt<'telemetry'>;

export interface Config {
  readonly nodeEnv: NodeEnv;
  /** Traces without a token, the per-request batching switch and friendlier errors: everywhere but production. */
  readonly development: boolean;
  /** Fastify: address, body size, timeouts, connections, proxies, shutdown. */
  readonly http: HttpConfig;
  /** Where the data lives, the pool, and whether loaders batch. */
  readonly database: DatabaseConfig;
  /** The shared cache (memory or Redis) and the caches of documents and persisted queries. */
  readonly cache: CacheConfig;
  /**
   * A section of its own, not part of `cache`: it is opt-in, and read by the HTTP route and the
   * response cache only; it stores into the shared cache's backend under its namespace.
   */
  readonly responseCache: ResponseCacheConfig;
  /** What one operation may ask for and return; introspection. */
  readonly limits: LimitsConfig;
  /** Client budgets (cost points per client over time); they live in `cache.redisUrl` when set. */
  readonly budgets: BudgetsConfig;
  /** Who may see a request's trace, and the sqlcommenter attribution of statements. */
  readonly trace: TraceConfig;
  /** The process log: level, SQL statements, database faults. */
  readonly log: LogConfig;
  /** Prometheus metrics at /metrics, the N+1 watch's counter among them. */
  readonly metrics: MetricsConfig;
  /** OpenTelemetry: where spans go and which requests are sampled (the standard OTEL_* variables). */
  readonly telemetry: TelemetryConfig;
}

/** Values that win over the environment, one field of one section at a time (tests, benches). */
export type ConfigOverrides = { readonly nodeEnv?: NodeEnv } & { readonly [S in Section]?: Partial<Config[S]> };

type Env = Record<string, string | undefined>;

/** Empty counts as unset, so `PORT= npm start` means the default. */
function read(row: Variable, env: Env, production: boolean): unknown {
  const raw = env[row.name];
  if (raw === undefined || raw === '') return production && row.productionDefault !== undefined ? row.productionDefault : row.default;
  return row.parse.read(raw, row.name);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Reads and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const rows: readonly Variable[] = VARIABLES;
  // First: other variables' defaults depend on it.
  const nodeEnv = overrides.nodeEnv ?? (read(rows.find((row) => row.at === 'nodeEnv')!, env, false) as NodeEnv);
  const production = nodeEnv === 'production';
  const sections = Object.fromEntries(SECTIONS.map((section) => [section, {}])) as Record<Section, Record<string, unknown>>;
  for (const row of rows) {
    if (row.at === 'nodeEnv') continue;
    const [section, field] = row.at.split('.') as [Section, string];
    sections[section][field] = read(row, env, production);
  }
  sections.budgets.keyPrefix = DEFAULT_BUDGET_KEY_PREFIX;
  for (const section of SECTIONS) Object.assign(sections[section], overrides[section]);
  // A mode without a manifest would refuse every request (enforce) or serve no id (allow).
  const { trustedDocumentsMode, trustedDocuments } = sections.limits;
  if (trustedDocumentsMode !== 'off' && !trustedDocuments) {
    throw new ConfigError('INKQL_TRUSTED_DOCUMENTS_MODE', String(trustedDocumentsMode), 'off unless INKQL_TRUSTED_DOCUMENTS names a manifest');
  }
  return deepFreeze({ nodeEnv, development: !production, ...sections } as unknown as Config);
}

export interface TestServices {
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  /** A streaming replica of the TEST_DATABASE_URL server (scripts/start-replica.sh); tests of replicas skip without it. */
  readonly replicaUrl: string | undefined;
}

/** The real services the test suite may use besides embedded PGlite (set by .ci/run); not part of the server's configuration. */
export function loadTestServices(env: Env = process.env): TestServices {
  const optional = (name: string, protocols: string[]) => {
    const raw = env[name];
    return raw === undefined || raw === '' ? undefined : url(protocols).read(raw, name);
  };
  return Object.freeze({
    databaseUrl: optional('TEST_DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: optional('TEST_REDIS_URL', ['redis:', 'rediss:']),
    replicaUrl: optional('TEST_REPLICA_URL', ['postgres:', 'postgresql:']),
  });
}
