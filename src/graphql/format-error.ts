import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { toDatabaseFault } from '../db/database-fault.ts';
import { ERROR_CODES } from '../errors.ts';

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

/** Apollo's refusal of a persisted query whose sha256Hash is not its query's; it carries no code. */
const APOLLO_HASH_MISMATCH_MESSAGE = 'provided sha does not match query';

function httpStatusOf(error: unknown): unknown {
  const http = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http;
  return http?.status;
}

/**
 * Client errors pass as they are; anything else is masked for the client and handed to `log`
 * in full (envelop's useMaskedErrors), so no SQL, stack or internal message leaks. A database
 * fault comes with its code, so the log can count an outage rather than write a line per field.
 */
export function createFormatError(log: (error: unknown, faultCode?: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    // Apollo codes its 405 (a mutation over GET) BAD_REQUEST; every other 405 says METHOD_NOT_ALLOWED.
    if (code === 'BAD_REQUEST' && httpStatusOf(error) === 405) return { message: formatted.message, extensions: { code: 'METHOD_NOT_ALLOWED' } };
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // Apollo has already coded it INTERNAL_SERVER_ERROR, as it does every error without a code.
    if (code === 'INTERNAL_SERVER_ERROR' && formatted.message === APOLLO_HASH_MISMATCH_MESSAGE) {
      return {
        message: 'The persisted query\'s sha256Hash is not the SHA-256 of its query',
        extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
      };
    }
    const original = unwrapResolverError(error);
    // A database timeout or outage is not the client's fault, but the client should know it
    // happened (and may retry): a coded error for the field instead of the masked one.
    const fault = toDatabaseFault(original);
    log(original, fault?.code);
    if (fault) return { message: fault.message, locations: formatted.locations, path: formatted.path, extensions: { code: fault.code } };
    return { message: MASKED_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
