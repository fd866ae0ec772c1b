import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_BUDGET_KEY_PREFIX,
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
  DEFAULT_DB_CONNECTION_BUDGET,
  loadConfig,
} from '../../src/config.ts';

describe('loadConfig', () => {
  it('has a default for everything', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      development: true,
      http: {
        port: 4000,
        host: '127.0.0.1',
        maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
        trustProxy: false,
        shutdownGraceMs: 10_000,
        requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
        maxConnections: DEFAULT_MAX_CONNECTIONS,
        workers: 1,
        corsOrigins: undefined,
      },
      database: {
        url: undefined,
        dataDir: './.inkql',
        batching: true,
        statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
        preparedStatements: DEFAULT_PREPARED_STATEMENTS,
        poolSize: 10,
        connectionBudget: DEFAULT_DB_CONNECTION_BUDGET,
        replicaUrls: undefined,
        replicaMaxLagMs: 2000,
        consistencyWaitMs: 500,
      },
      cache: {
        redisUrl: undefined,
        enabled: true,
        maxEntries: 10_000,
        namespace: 'inkql',
        timeoutMs: 100,
        documentBytes: 32 * 1024 * 1024,
        maxBytes: 64 * 1024 * 1024,
        apqMaxBytes: 16 * 1024 * 1024,
      },
      responseCache: { enabled: false, maxBytes: 256 * 1024, memoryBytes: 64 * 1024 * 1024 },
      telemetry: { endpoint: undefined, serviceName: 'inkql', sampler: 'parentbased_always_on', samplerArg: 1 },
      limits: {
        maxCost: DEFAULT_MAX_COST,
        maxDepth: DEFAULT_MAX_DEPTH,
        maxAliases: DEFAULT_MAX_ALIASES,
        maxTokens: DEFAULT_MAX_TOKENS,
        maxDirectives: DEFAULT_MAX_DIRECTIVES,
        introspection: true,
        maxDocumentBytes: DEFAULT_MAX_DOCUMENT_BYTES,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        trustedDocuments: undefined,
        trustedDocumentsMode: 'off',
      },
      budgets: { size: 0, restoreRate: 50, keyPrefix: DEFAULT_BUDGET_KEY_PREFIX },
      trace: { debugToken: undefined, sqlComments: true },
      log: { sql: false, slowSqlMs: 200, level: 'info', faultLogIntervalMs: 30_000 },
      metrics: { enabled: false, token: undefined },
    });
  });

  it('reads the trusted documents manifest and mode', () => {
    expect(loadConfig({ INKQL_TRUSTED_DOCUMENTS: 'manifest.json', INKQL_TRUSTED_DOCUMENTS_MODE: 'enforce' })).toMatchObject({
      limits: { trustedDocuments: 'manifest.json', trustedDocumentsMode: 'enforce' },
    });
  });

  it('refuses a trusted documents mode without a manifest, naming the variable', () => {
    expect(() => loadConfig({ INKQL_TRUSTED_DOCUMENTS_MODE: 'allow' })).toThrow('INKQL_TRUSTED_DOCUMENTS_MODE="allow" is invalid');
  });

  it('reads the metrics variables', () => {
    expect(loadConfig({ INKQL_METRICS: 'on', INKQL_METRICS_TOKEN: 'scrape-secret' }).metrics).toEqual({ enabled: true, token: 'scrape-secret' });
  });

  it('reads the response cache variables', () => {
    expect(
      loadConfig({ INKQL_RESPONSE_CACHE: 'on', INKQL_RESPONSE_CACHE_MAX_BYTES: '4096', INKQL_RESPONSE_CACHE_MEMORY_BYTES: '65536' }),
    ).toMatchObject({ responseCache: { enabled: true, maxBytes: 4096, memoryBytes: 65536 } });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db:5432/blog',
      INKQL_DATA_DIR: '/tmp/x',
      REDIS_URL: 'redis://cache:6379',
      NODE_ENV: 'production',
      INKQL_BATCHING: 'off',
      INKQL_DEBUG_TOKEN: 'secret',
      LOG_SQL: '1',
      LOG_LEVEL: 'warn',
      INKQL_MAX_COST: '500',
      INKQL_MAX_DEPTH: '7',
      INKQL_STATEMENT_TIMEOUT_MS: '250',
      INKQL_POOL_SIZE: '3',
      INKQL_MAX_DOCUMENT_BYTES: '2048',
      INKQL_DOCUMENT_CACHE_BYTES: '2097152',
      INKQL_CACHE_MAX_BYTES: '3145728',
      INKQL_APQ_MAX_BYTES: '4194304',
      INKQL_REQUEST_TIMEOUT_MS: '1500',
      INKQL_MAX_CONNECTIONS: '64',
      INKQL_MAX_RESPONSE_BYTES: '100000',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      development: false,
      http: { port: 0, host: '0.0.0.0', requestTimeoutMs: 1500, maxConnections: 64 },
      database: { url: 'postgres://u@db:5432/blog', dataDir: '/tmp/x', batching: false, statementTimeoutMs: 250, poolSize: 3 },
      cache: { redisUrl: 'redis://cache:6379', documentBytes: 2097152, maxBytes: 3145728, apqMaxBytes: 4194304 },
      limits: { maxCost: 500, maxDepth: 7, maxDocumentBytes: 2048, maxResponseBytes: 100000 },
      trace: { debugToken: 'secret' },
      log: { sql: true, level: 'warn' },
    });
  });

  it('reads the standard OpenTelemetry variables into the telemetry section', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'blog-api', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' };
    expect(loadConfig(env).telemetry).toEqual({ endpoint: 'http://collector:4318', serviceName: 'blog-api', sampler: 'traceidratio', samplerArg: 0.25 });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', INKQL_DEBUG_TOKEN: '' })).toMatchObject({
      http: { port: 4000 },
      database: { url: undefined },
      trace: { debugToken: undefined },
    });
  });

  it('accepts LOG_SQL=true', () => {
    expect(loadConfig({ LOG_SQL: 'true' }).log.sql).toBe(true);
    expect(loadConfig({ LOG_SQL: 'false' }).log.sql).toBe(false);
  });

  it('lets overrides win and freezes the result', () => {
    const config = loadConfig({ PORT: '1234' }, { http: { port: 0 } });
    expect(config.http.port).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('freezes every section, and the proxy list inside one', () => {
    const config = loadConfig({ INKQL_TRUST_PROXY: '10.0.0.0/8' }, { budgets: { size: 10 } });
    for (const section of [config.http, config.database, config.cache, config.responseCache, config.limits, config.budgets, config.trace, config.log]) {
      expect(Object.isFrozen(section)).toBe(true);
    }
    expect(Object.isFrozen(config.http.trustProxy)).toBe(true);
    expect(() => {
      (config.limits as { maxCost: number }).maxCost = 1;
    }).toThrow(TypeError);
  });

  it('overrides one field of a section and keeps the others from the environment', () => {
    const config = loadConfig({ INKQL_MAX_DEPTH: '7', INKQL_MAX_COST: '500' }, { limits: { maxCost: 20 } });
    expect(config.limits).toMatchObject({ maxCost: 20, maxDepth: 7, maxAliases: DEFAULT_MAX_ALIASES });
  });

  it('turns introspection off in production unless INKQL_INTROSPECTION=on', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).limits.introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', INKQL_INTROSPECTION: 'on' }).limits.introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).limits.introspection).toBe(true);
  });

  it('derives development from a NODE_ENV override, with production defaults', () => {
    const config = loadConfig({}, { nodeEnv: 'production' });
    expect(config).toMatchObject({ nodeEnv: 'production', development: false, limits: { introspection: false } });
  });

  it('reads INKQL_TRUST_PROXY as on, off, or the proxies to trust', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ INKQL_TRUST_PROXY: 'on' }).http.trustProxy).toBe(true);
    expect(loadConfig({ INKQL_TRUST_PROXY: 'off' }).http.trustProxy).toBe(false);
    expect(loadConfig({ INKQL_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback' }).http.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('reads INKQL_CORS_ORIGINS as a list of exact origins, or *', () => {
    expect(loadConfig({}).http.corsOrigins).toBeUndefined();
    expect(loadConfig({ INKQL_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).http.corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ INKQL_CORS_ORIGINS: '*' }).http.corsOrigins).toEqual(['*']);
  });

  it.each([
    ['INKQL_CORS_ORIGINS', 'https://app.example.com/'],
    ['INKQL_CORS_ORIGINS', 'app.example.com'],
    ['INKQL_CORS_ORIGINS', 'ftp://files.example.com'],
    ['INKQL_TRUST_PROXY', '2'],
    ['INKQL_TRUST_PROXY', 'yes'],
    ['INKQL_TRUST_PROXY', '10.0.0.0/33'],
    ['INKQL_TRUST_PROXY', '10.0.0.1,proxy.example'],
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://db/blog'],
    ['REDIS_URL', 'http://cache:6379'],
    ['NODE_ENV', 'staging'],
    ['INKQL_BATCHING', 'yes'],
    ['LOG_SQL', 'on'],
    ['LOG_LEVEL', 'verbose'],
    ['INKQL_MAX_COST', '0'],
    ['INKQL_MAX_DEPTH', '-1'],
    ['INKQL_STATEMENT_TIMEOUT_MS', 'fast'],
    ['INKQL_POOL_SIZE', '1000'],
    ['INKQL_MAX_DOCUMENT_BYTES', '10'],
    ['INKQL_REQUEST_TIMEOUT_MS', '0'],
    ['INKQL_MAX_CONNECTIONS', '0'],
    ['INKQL_MAX_RESPONSE_BYTES', 'big'],
    ['INKQL_RESPONSE_CACHE', 'yes'],
    ['INKQL_RESPONSE_CACHE_MAX_BYTES', '10'],
    ['INKQL_RESPONSE_CACHE_MEMORY_BYTES', 'lots'],
    ['INKQL_TRUSTED_DOCUMENTS_MODE', 'strict'],
    ['INKQL_METRICS_TOKEN', 'two words'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
  ])('refuses %s=%s, naming the variable and the value', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(`${variable}=${JSON.stringify(value)} is invalid`);
  });
});
