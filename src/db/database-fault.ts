import { InkqlError } from '../errors.ts';

// Which database failures a client sees as a coded error rather than "Unexpected error.":
//
// | failure                                                    | source                     | code                 |
// |------------------------------------------------------------|----------------------------|----------------------|
// | statement canceled by statement_timeout                    | Postgres SQLSTATE 57014    | STATEMENT_TIMEOUT    |
// | no answer within query_timeout (statement_timeout + margin)| pg "Query read timeout"    | DATABASE_UNAVAILABLE |
// | connection refused / reset / cut, host unreachable         | Node ECONNREFUSED, ...     | DATABASE_UNAVAILABLE |
// | no connection within the connect timeout (2 s)             | pg "timeout expired"       | DATABASE_UNAVAILABLE |
// | no free pooled connection within POOL_WAIT_TIMEOUT_MS      | pg-pool "timeout exceeded when trying to connect"   | DATABASE_UNAVAILABLE |
// | server shutting down, restarting, too many connections     | SQLSTATE 57P01-57P03, 53300, class 08 | DATABASE_UNAVAILABLE |
//
// A live server cancels a slow statement itself at statement_timeout, so a client-side read
// timeout means the server did not answer at all: that is an outage, not a slow query.

const SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);

/** What pg's Client says when its own connect timeout fires: generic, so matched exactly. */
const CONNECT_TIMEOUT_MESSAGE = 'timeout expired';

/** Messages pg and pg-pool use for connections that failed or never came (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

const STATEMENT_TIMEOUT_SQLSTATE = '57014';

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

function isUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (code && (SYSTEM_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  const message = messageOf(error);
  if (message === CONNECT_TIMEOUT_MESSAGE) return true;
  if (UNAVAILABLE_MESSAGES.some((known) => message.startsWith(known))) return true;
  // Node's happy-eyeballs connect (a host name with several addresses) fails with an AggregateError.
  return error instanceof AggregateError && error.errors.some(isUnavailable);
}

/**
 * The user-facing error for a database failure that is not the request's fault, or undefined
 * for anything else (which stays masked as "Unexpected error.").
 */
export function toDatabaseFault(error: unknown): InkqlError | undefined {
  if (codeOf(error) === STATEMENT_TIMEOUT_SQLSTATE && /statement timeout/.test(messageOf(error))) {
    return new InkqlError(
      'STATEMENT_TIMEOUT',
      'A database statement ran longer than the statement timeout (INKQL_STATEMENT_TIMEOUT_MS) and was canceled.',
    );
  }
  if (isUnavailable(error)) {
    return new InkqlError('DATABASE_UNAVAILABLE', 'The database is unavailable or overloaded; try again later.');
  }
  return undefined;
}

/** A one-line reason for logs and start-up messages; AggregateErrors have an empty message. */
export function describeConnectError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    return error.errors.map((inner) => messageOf(inner) || String(inner)).join('; ') || codeOf(error) || 'connection failed';
  }
  if (messageOf(error) === CONNECT_TIMEOUT_MESSAGE) return 'no answer within the connect timeout';
  return messageOf(error) || codeOf(error) || String(error);
}
