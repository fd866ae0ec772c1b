import { pino, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import type { LogConfig } from './config.ts';

/** The request line (http/request-log.ts) says these in its message already: in a terminal they would only repeat it. */
const SAID_IN_THE_MESSAGE = 'pid,hostname,reqId,method,path,operationName,status,durationMs,sqlCount,cost';

/**
 * The process's logger: one JSON object per line, for log shippers, except in development when
 * `out` is a terminal, where pino-pretty turns each line into readable text.
 */
export function createLogger(
  config: Pick<LogConfig, 'level'>,
  development: boolean,
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Logger {
  if (!development || !out.isTTY) {
    // pino's own synchronous destination on stdout; another stream (a test's) as given.
    return out === process.stdout ? pino({ level: config.level }) : pino({ level: config.level }, out);
  }
  return pino(
    { level: config.level },
    PinoPretty({
      destination: out,
      // Synchronous, so the lines logged just before a process.exit are not lost.
      sync: true,
      colorize: true,
      translateTime: 'HH:MM:ss.l',
      ignore: SAID_IN_THE_MESSAGE,
      messageFormat: '{if reqId}{reqId} {end}{msg}',
    }),
  );
}
