import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { toDatabaseFault } from './db/database-fault.ts';
import { ERROR_CODES } from './errors.ts';

/** Codes whose messages describe the client's own request and are safe to show as they are. */
const CLIENT_CODES: ReadonlySet<string> = new Set([
  ...ERROR_CODES,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export const MASKED_MESSAGE = 'Unexpected error.';

/**
 * Client errors pass as they are; anything else is masked for the client and handed to `log`
 * in full (envelop's useMaskedErrors), so no SQL, stack or internal message leaks.
 */
export function createFormatError(log: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    log(original);
    // A database timeout or outage is not the client's fault, but the client should know it
    // happened (and may retry): a coded error for the field instead of the masked one.
    const fault = toDatabaseFault(original);
    if (fault) return { message: fault.message, locations: formatted.locations, path: formatted.path, extensions: { code: fault.code } };
    return { message: MASKED_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
