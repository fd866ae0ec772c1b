import { pino } from 'pino';
import { type Config, type ConfigOverrides, loadConfig } from '../../src/config.ts';
import { createServer, type InkqlServer } from '../../src/server.ts';
import { mergeOverrides } from './config-overrides.ts';
import type { TraceWire } from '../../src/trace/trace-format.ts';
import type { TestDatabase } from './test-database.ts';

export interface GraphQLResult<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly data: T | null | undefined;
  readonly errors: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] | undefined;
  readonly extensions: Record<string, any> | undefined;
  /** extensions.trace; undefined unless the request asked for it and was allowed to see it. */
  readonly trace: TraceWire;
}

export interface TestServer {
  readonly url: string;
  readonly config: Config;
  readonly server: InkqlServer;
  /** POSTs an operation with `X-Inkql-Trace: 1` (unless `trace: false`) and returns data, errors and trace. */
  execute<T = any>(query: string, variables?: Record<string, unknown>, options?: ExecuteOptions): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

export interface ExecuteOptions {
  readonly headers?: Record<string, string>;
  readonly trace?: boolean;
}

/**
 * A real server on a random port over the test's database, speaking real HTTP. Overrides name a
 * section and the fields to change: `{ limits: { maxCost: 20 } }`, `{ nodeEnv: 'production' }`.
 */
export async function startTestServer(database: TestDatabase, overrides: ConfigOverrides = {}): Promise<TestServer> {
  const defaults: ConfigOverrides = { http: { port: 0 }, database: { url: database.databaseUrl }, log: { level: 'silent' } };
  const config = loadConfig({}, mergeOverrides(defaults, overrides));
  const server = await createServer({ config, database: database.handle, logger: pino({ level: config.log.level }) });
  const url = await server.listen();
  return {
    url,
    config,
    server,
    execute: async (query, variables, options = {}) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.trace === false ? {} : { 'x-inkql-trace': '1' }),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return toResult(response);
    },
    close: () => server.close(),
  };
}

export async function toResult(response: Response): Promise<GraphQLResult> {
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return {
    status: response.status,
    headers: response.headers,
    data: body.data,
    errors: body.errors,
    extensions: body.extensions,
    trace: body.extensions?.trace,
  };
}
