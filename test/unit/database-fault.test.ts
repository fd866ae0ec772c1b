import { describe, expect, it } from 'vitest';
import { describeConnectError, toDatabaseFault } from '../../src/db/database-fault.ts';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('toDatabaseFault', () => {
  it.each([
    ['statement_timeout (57014)', withCode('canceling statement due to statement timeout', '57014'), 'STATEMENT_TIMEOUT'],
    ['pg query_timeout', new Error('Query read timeout'), 'DATABASE_UNAVAILABLE'],
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'DATABASE_UNAVAILABLE'],
    ['pool wait or connect timeout', new Error('timeout exceeded when trying to connect'), 'DATABASE_UNAVAILABLE'],
    ['client connect timeout', new Error('timeout expired'), 'DATABASE_UNAVAILABLE'],
    ['pool connect timeout', new Error('Connection terminated due to connection timeout'), 'DATABASE_UNAVAILABLE'],
    ['connection cut', new Error('Connection terminated unexpectedly'), 'DATABASE_UNAVAILABLE'],
    ['broken client reused', new Error('Client has encountered a connection error and is not queryable'), 'DATABASE_UNAVAILABLE'],
    ['admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01'), 'DATABASE_UNAVAILABLE'],
    ['starting up (57P03)', withCode('the database system is starting up', '57P03'), 'DATABASE_UNAVAILABLE'],
    ['connection exception class 08', withCode('connection failure', '08006'), 'DATABASE_UNAVAILABLE'],
    ['happy-eyeballs AggregateError', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), 'DATABASE_UNAVAILABLE'],
  ])('maps %s to its code', (_name, error, code) => {
    expect(toDatabaseFault(error)?.extensions.code).toBe(code);
  });

  it.each([
    ['a canceled statement that was not a timeout', withCode('canceling statement due to user request', '57014')],
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "selec"', '42601')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-error value', 'boom'],
    ['another timeout', new Error('timeout expired while reading the file')],
  ])('leaves %s to be masked', (_name, error) => {
    expect(toDatabaseFault(error)).toBeUndefined();
  });
});

describe('describeConnectError', () => {
  it('spells out an AggregateError, whose own message is empty', () => {
    const error = new AggregateError(
      [withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
      '',
    );
    expect(describeConnectError(error)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('uses the message of a plain error', () => {
    expect(describeConnectError(new Error('timeout exceeded when trying to connect'))).toBe('timeout exceeded when trying to connect');
  });
});
