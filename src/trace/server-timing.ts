import { round, type RequestTrace } from './request-trace.ts';

/**
 * The `Server-Timing` header of every response, so browser dev tools show a request's cost with
 * no trace header (names kept short for Chrome's timing panel):
 *
 *   sql;dur=3.1;desc="3 queries", resolve;dur=5.2, total;dur=7.9   detailed (development, debug token)
 *   total;dur=7.9                                                    otherwise (production)
 *
 * `sql` is the sum of the statement durations, the same number as `extensions.trace.sql.durationMs`.
 * The statement count and SQL time tell an outsider which inputs reach the database and how hard,
 * so production shows them only to whoever may see the trace.
 */
export function serverTiming(trace: RequestTrace, now: number, detailed: boolean): string {
  const total = `total;dur=${round(now - trace.startedAt)}`;
  if (!detailed) return total;
  // Always "N queries" (even "1 queries"): one fixed pattern for tools that parse it.
  const count = trace.sqlCount;
  return `sql;dur=${round(trace.sqlDurationMs)};desc="${count} queries", resolve;dur=${round(trace.resolveDurationMs)}, ${total}`;
}
