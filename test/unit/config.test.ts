import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_NAMESPACE,
  DEFAULT_CACHE_TIMEOUT_MS,
  DEFAULT_POOL_SIZE,
  SHUTDOWN_GRACE_MS,
  DEFAULT_FAULT_LOG_INTERVAL_MS,
  DEFAULT_MAX_ALIASES,
  DEFAULT_MAX_TOKENS,
  DEFAULT_MAX_DIRECTIVES,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_BUDGET_SIZE,
  DEFAULT_BUDGET_RESTORE_RATE,
  DEFAULT_BUDGET_KEY_PREFIX,
  DEFAULT_TRUST_PROXY,
  DEFAULT_PORT,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  DEFAULT_MAX_DOCUMENT_BYTES,
  DEFAULT_DOCUMENT_CACHE_BYTES,
  DEFAULT_CACHE_MAX_BYTES,
  DEFAULT_APQ_MAX_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RESPONSE_CACHE_MAX_BYTES,
  DEFAULT_RESPONSE_CACHE_MEMORY_BYTES,
  loadConfig,
} from '../../src/config.ts';

describe('loadConfig', () => {
  it('has a default for everything', () => {
    expect(loadConfig({})).toEqual({
      port: DEFAULT_PORT,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './.inkql',
      redisUrl: undefined,
      nodeEnv: 'development',
      development: true,
      batching: true,
      debugToken: undefined,
      logSql: false,
      slowSqlMs: 200,
      sqlComments: true,
      logLevel: 'info',
      maxCost: DEFAULT_MAX_COST,
      maxDepth: DEFAULT_MAX_DEPTH,
      statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
      poolSize: DEFAULT_POOL_SIZE,
      cache: true,
      cacheMaxEntries: DEFAULT_CACHE_MAX_ENTRIES,
      cacheNamespace: DEFAULT_CACHE_NAMESPACE,
      cacheTimeoutMs: DEFAULT_CACHE_TIMEOUT_MS,
      maxAliases: DEFAULT_MAX_ALIASES,
      maxTokens: DEFAULT_MAX_TOKENS,
      maxDirectives: DEFAULT_MAX_DIRECTIVES,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      introspection: true,
      budgetSize: DEFAULT_BUDGET_SIZE,
      budgetRestoreRate: DEFAULT_BUDGET_RESTORE_RATE,
      budgetKeyPrefix: DEFAULT_BUDGET_KEY_PREFIX,
      trustProxy: DEFAULT_TRUST_PROXY,
      shutdownGraceMs: SHUTDOWN_GRACE_MS,
      maxDocumentBytes: DEFAULT_MAX_DOCUMENT_BYTES,
      documentCacheBytes: DEFAULT_DOCUMENT_CACHE_BYTES,
      cacheMaxBytes: DEFAULT_CACHE_MAX_BYTES,
      apqMaxBytes: DEFAULT_APQ_MAX_BYTES,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      maxConnections: DEFAULT_MAX_CONNECTIONS,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      responseCache: false,
      responseCacheMaxBytes: DEFAULT_RESPONSE_CACHE_MAX_BYTES,
      responseCacheMemoryBytes: DEFAULT_RESPONSE_CACHE_MEMORY_BYTES,
      faultLogIntervalMs: DEFAULT_FAULT_LOG_INTERVAL_MS,
      trustedDocuments: undefined,
      trustedDocumentsMode: 'off',
    });
  });

  it('reads the trusted documents manifest and mode', () => {
    expect(loadConfig({ INKQL_TRUSTED_DOCUMENTS: 'manifest.json', INKQL_TRUSTED_DOCUMENTS_MODE: 'enforce' })).toMatchObject({
      trustedDocuments: 'manifest.json',
      trustedDocumentsMode: 'enforce',
    });
  });

  it('refuses a trusted documents mode without a manifest, naming the variable', () => {
    expect(() => loadConfig({ INKQL_TRUSTED_DOCUMENTS_MODE: 'allow' })).toThrow('INKQL_TRUSTED_DOCUMENTS_MODE="allow" is invalid');
  });

  it('reads the response cache variables', () => {
    expect(
      loadConfig({ INKQL_RESPONSE_CACHE: 'on', INKQL_RESPONSE_CACHE_MAX_BYTES: '4096', INKQL_RESPONSE_CACHE_MEMORY_BYTES: '65536' }),
    ).toMatchObject({ responseCache: true, responseCacheMaxBytes: 4096, responseCacheMemoryBytes: 65536 });
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
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db:5432/blog',
      dataDir: '/tmp/x',
      redisUrl: 'redis://cache:6379',
      nodeEnv: 'production',
      development: false,
      batching: false,
      debugToken: 'secret',
      logSql: true,
      logLevel: 'warn',
      maxCost: 500,
      maxDepth: 7,
      statementTimeoutMs: 250,
      poolSize: 3,
      maxDocumentBytes: 2048,
      documentCacheBytes: 2097152,
      cacheMaxBytes: 3145728,
      apqMaxBytes: 4194304,
      requestTimeoutMs: 1500,
      maxConnections: 64,
      maxResponseBytes: 100000,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', INKQL_DEBUG_TOKEN: '' })).toMatchObject({
      port: DEFAULT_PORT,
      databaseUrl: undefined,
      debugToken: undefined,
    });
  });

  it('accepts LOG_SQL=true', () => {
    expect(loadConfig({ LOG_SQL: 'true' }).logSql).toBe(true);
    expect(loadConfig({ LOG_SQL: 'false' }).logSql).toBe(false);
  });

  it('lets overrides win and freezes the result', () => {
    const config = loadConfig({ PORT: '1234' }, { port: 0 });
    expect(config.port).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads INKQL_TRUST_PROXY as on, off, or the proxies to trust', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ INKQL_TRUST_PROXY: 'on' }).trustProxy).toBe(true);
    expect(loadConfig({ INKQL_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ INKQL_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each([
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
  ])('refuses %s=%s, naming the variable and the value', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(`${variable}=${JSON.stringify(value)} is invalid`);
  });
});
