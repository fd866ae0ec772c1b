import { createRequire } from 'node:module';
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { badUserInput, InkqlError } from '../../src/errors.ts';
import { createFormatError, MASKED_MESSAGE } from '../../src/graphql/format-error.ts';

// The graphql copy that @apollo/server sees: Node resolves 'graphql' to its CommonJS build (as
// under tsx in production), while vitest hands this file the .mjs build, and unwrapResolverError's
// `instanceof GraphQLError` only holds within one copy.
const { GraphQLError } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
type GraphQLError = import('graphql').GraphQLError;

function formatter() {
  const logged: unknown[] = [];
  return { format: createFormatError((error) => logged.push(error)), logged };
}

const asFormatted = (error: GraphQLError): GraphQLFormattedError => error.toJSON();

describe('formatError', () => {
  it('masks an unknown error and logs the original', () => {
    const { format, logged } = formatter();
    const original = new Error('relation "posts" does not exist (select * from posts where ...)');
    const wrapped = new GraphQLError(original.message, { originalError: original, path: ['posts'], extensions: { stacktrace: ['at x'] } });
    const formatted = format(asFormatted(wrapped), wrapped);
    expect(formatted).toEqual({ message: MASKED_MESSAGE, locations: undefined, path: ['posts'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(formatted)).not.toContain('select');
    expect(logged).toEqual([original]);
  });

  it('masks an error that claims a code outside the client set', () => {
    const { format, logged } = formatter();
    const error = new GraphQLError('internal detail', { extensions: { code: 'DATABASE_DOWN' } });
    expect(format(asFormatted(error), error).message).toBe(MASKED_MESSAGE);
    expect(logged).toHaveLength(1);
  });

  it('keeps client errors as they are, without stack traces, and logs nothing', () => {
    const { format, logged } = formatter();
    const error = badUserInput('Argument "first" must be between 0 and 100, got 101', 'first');
    const formatted = format({ ...asFormatted(error), extensions: { ...error.extensions, stacktrace: ['at y'] } }, error);
    expect(formatted.message).toBe('Argument "first" must be between 0 and 100, got 101');
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    expect(logged).toEqual([]);
  });

  it.each(['NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'QUERY_TOO_COMPLEX', 'THROTTLED'] as const)('keeps %s', (code) => {
    const { format } = formatter();
    const error = new InkqlError(code, 'the client may read this');
    expect(format(asFormatted(error), error).extensions?.code).toBe(code);
  });

  it('keeps TRANSACTION_CONFLICT with its retryable flag', () => {
    const { format, logged } = formatter();
    const error = new InkqlError('TRANSACTION_CONFLICT', 'nothing was written', { retryable: true });
    expect(format(asFormatted(error), error).extensions).toEqual({ code: 'TRANSACTION_CONFLICT', retryable: true });
    expect(logged).toEqual([]);
  });

  it("codes Apollo's uncoded refusal of a persisted query whose hash is not its query's", () => {
    const { format, logged } = formatter();
    const error = new GraphQLError('provided sha does not match query', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format(asFormatted(error), error).extensions).toEqual({ code: 'PERSISTED_QUERY_HASH_MISMATCH' });
    expect(logged).toEqual([]);
  });

  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND'])("keeps Apollo's %s", (code) => {
    const { format } = formatter();
    const error = new GraphQLError('about your request', { extensions: { code } });
    expect(format(asFormatted(error), error).message).toBe('about your request');
  });
});
