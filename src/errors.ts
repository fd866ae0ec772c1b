import { GraphQLError } from 'graphql';

// The closed set of codes a client may see. Anything else is masked as "Unexpected error."
// and logged in full on the server (graphql/format-error.ts).
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'THROTTLED',
  // Faults of the database rather than of the request (src/db/database-fault.ts): safe to show,
  // and a client may retry them.
  'STATEMENT_TIMEOUT',
  'DATABASE_UNAVAILABLE',
  // A write the database aborted as a conflict with concurrent writes, after one retry: nothing
  // was written, and the same request may succeed if sent again.
  'TRANSACTION_CONFLICT',
  // Requests the server refuses before running anything (HTTP 400).
  'OPERATION_NOT_SUPPORTED',
  'PERSISTED_QUERY_HASH_MISMATCH',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  QUERY_TOO_COMPLEX: 400,
  THROTTLED: 429,
  OPERATION_NOT_SUPPORTED: 400,
  PERSISTED_QUERY_HASH_MISMATCH: 400,
};

/** The one user-facing error type. Its message is shown to clients as it is. */
export class InkqlError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    const status = HTTP_STATUS[code];
    super(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
    this.code = code;
    this.name = 'InkqlError';
  }
}

export function badUserInput(message: string, argumentName?: string): InkqlError {
  return new InkqlError('BAD_USER_INPUT', message, argumentName ? { argumentName } : {});
}
