import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestTrace } from './request-trace.ts';

/**
 * Which request (and which loader and field within it) is running SQL right now. The database
 * layer is shared by all requests, so a statement finds its request through async context, the
 * way OpenTelemetry attributes spans.
 */
export interface SqlScope {
  readonly trace: RequestTrace;
  readonly loader?: string;
  readonly path?: string;
  readonly field?: string;
}

export const sqlScope = new AsyncLocalStorage<SqlScope>();

/** Runs `fn` with the current scope extended by `extra` (a no-op outside a request). */
export function withSqlScope<T>(extra: Omit<Partial<SqlScope>, 'trace'>, fn: () => T): T {
  const current = sqlScope.getStore();
  return current ? sqlScope.run({ ...current, ...extra }, fn) : fn();
}
