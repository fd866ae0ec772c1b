import type { Logger } from 'pino';

// A database outage fails every request, and logging each failure wrote thousands of lines in a
// few seconds (one per field, per probe, per broken connection). Each kind of fault is logged in
// full the first time, then counted: at most one line per interval while it keeps happening.
//
//   {"level":50,"err":{...},"msg":"database unavailable"}                                first
//   {"level":50,"err":{...},"count":2311,"intervalMs":30000,"msg":"database unavailable: 2311 more in the last 30 s"}
//
// An interval with no new fault of that kind ends the outage: the next one is logged in full again.

export type FaultLevel = 'warn' | 'error';

/** Logs `message` for `error` at `level`, or counts it toward the kind's next summary line. */
export type FaultLog = (level: FaultLevel, message: string, error: unknown) => void;

interface Window {
  count: number;
  lastError: unknown;
  level: FaultLevel;
}

export function createFaultLog(logger: Pick<Logger, FaultLevel>, intervalMs: number): FaultLog {
  const windows = new Map<string, Window>();
  const close = (message: string) => {
    const window = windows.get(message);
    if (!window) return;
    if (window.count === 0) {
      windows.delete(message);
      return;
    }
    const seconds = Math.round(intervalMs / 100) / 10;
    logger[window.level](
      { err: window.lastError, count: window.count, intervalMs },
      `${message}: ${window.count} more in the last ${seconds} s`,
    );
    window.count = 0;
    window.lastError = undefined;
    schedule(message);
  };
  // unref: a pending summary never keeps the process alive.
  const schedule = (message: string) => setTimeout(() => close(message), intervalMs).unref();
  return (level, message, error) => {
    const window = windows.get(message);
    if (window) {
      window.count++;
      window.lastError = error;
      window.level = level;
      return;
    }
    logger[level]({ err: error }, message);
    windows.set(message, { count: 0, lastError: undefined, level });
    schedule(message);
  };
}
