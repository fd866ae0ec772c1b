import { describe, expect, it } from 'vitest';
import { responseCacheKey } from '../../src/cache/response-cache-key.ts';

const preflight = { 'apollo-require-preflight': 'true' };
const json = { 'content-type': 'application/json' };

describe('responseCacheKey', () => {
  it('differs when the variables, operation name, document or Accept differ', () => {
    const body = { query: '{ a }', variables: { x: 1 } };
    const key = responseCacheKey('POST', '', body, json);
    expect(responseCacheKey('POST', '', body, json)).toBe(key);
    expect(responseCacheKey('POST', '', { ...body, variables: { x: 2 } }, json)).not.toBe(key);
    expect(responseCacheKey('POST', '', { ...body, operationName: 'A' }, json)).not.toBe(key);
    expect(responseCacheKey('POST', '', { ...body, query: '{ b }' }, json)).not.toBe(key);
    expect(responseCacheKey('POST', '', body, { ...json, accept: 'application/graphql-response+json' })).not.toBe(key);
  });

  it('keys a GET by its search parameters', () => {
    const search = `?${new URLSearchParams({ query: '{ a }', variables: '{"x":1}' })}`;
    expect(responseCacheKey('GET', search, undefined, preflight)).toBe(responseCacheKey('GET', search, undefined, preflight));
    expect(responseCacheKey('GET', search, undefined, preflight)).not.toBe(responseCacheKey('GET', `${search}&operationName=B`, undefined, preflight));
  });

  it('answers nothing Apollo would refuse for CSRF, and no batch', () => {
    expect(responseCacheKey('GET', '?query=%7Ba%7D', undefined, {})).toBeUndefined();
    expect(responseCacheKey('POST', '', [{ query: '{ a }' }], json)).toBeUndefined();
    expect(responseCacheKey('POST', '', { query: 5 }, json)).toBeUndefined();
  });
});
