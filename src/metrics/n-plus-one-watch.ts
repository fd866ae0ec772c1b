import { findNPlusOne, type GroupedStatement, repeatsText } from '../trace/statement-analysis.ts';

/** A field that keeps repeating its statement is logged at most once per interval. */
export const N_PLUS_ONE_LOG_INTERVAL_MS = 60_000;
/** Fields come from the schema, so this is never reached in practice; it bounds the log's memory anyway. */
const MAX_WATCHED_FIELDS = 1000;

export interface NPlusOneLogger {
  warn(object: object, message: string): void;
}

export interface NPlusOneWatchOptions {
  readonly logger: NPlusOneLogger;
  /** Told of each N+1 group found in a request (the metrics counter, with INKQL_METRICS=on). */
  readonly onDetection?: (field: string, count: number) => void;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

interface FieldLog {
  /** When the field's last line was written. */
  loggedAt: number;
  /** Requests with an N+1 on the field since that line, and the largest repeat count among them. */
  requests: number;
  maxCount: number;
}

/**
 * The production side of the trace's N+1 detection: the same rule (trace/statement-analysis.ts)
 * applied to every request's statements, whether or not anyone sees its trace or scrapes metrics.
 * Each group found is reported to `onDetection`; the log gets one warning per field, then at most
 * one more per interval, which says how many requests repeated it since. A deployment that lost
 * batching (a loader built without it, INKQL_BATCHING=off) shows up in its log without anyone
 * shipping traces.
 */
export function createNPlusOneWatch({ logger, onDetection, intervalMs = N_PLUS_ONE_LOG_INTERVAL_MS, now = Date.now }: NPlusOneWatchOptions) {
  const logs = new Map<string, FieldLog>();
  return (statements: readonly GroupedStatement[], operationName: string | undefined): void => {
    // No text repeated, no group: the common batched request stops here.
    if (!repeatsText(statements)) return;
    for (const { field, count, sql } of findNPlusOne(statements)) {
      onDetection?.(field, count);
      const at = now();
      let log = logs.get(field);
      if (log && at - log.loggedAt < intervalMs) {
        log.requests++;
        log.maxCount = Math.max(log.maxCount, count);
        continue;
      }
      if (!log && logs.size >= MAX_WATCHED_FIELDS) continue;
      const requests = log ? log.requests + 1 : 1;
      const maxCount = Math.max(log?.maxCount ?? 0, count);
      logger.warn(
        { field, count, maxCount, requests, operationName, sql },
        `N+1 on ${field}: one request ran the same statement ${count} times` +
          (log ? ` (${requests} requests with it since the last report, up to ${maxCount} times)` : ''),
      );
      if (log) Object.assign(log, { loggedAt: at, requests: 0, maxCount: 0 });
      else logs.set(field, { loggedAt: at, requests: 0, maxCount: 0 });
    }
  };
}
