import { describe, expect, it } from 'vitest';
import { resolveTrustedRequest } from '../../src/http/trusted-request.ts';

const HASH = 'a'.repeat(64);
const ids = { find: (id: string) => (id === 'known' || id === HASH ? { hash: HASH } : undefined) };
const persisted = (extra: Record<string, unknown> = {}) => ({ ...extra, persistedQuery: { version: 1, sha256Hash: HASH } });

describe('resolveTrustedRequest', () => {
  it('turns a POST documentId into a persisted-query request, keeping the other fields', () => {
    const body = { documentId: 'known', variables: { n: 1 }, operationName: 'Q', extensions: { client: 'web' } };
    expect(resolveTrustedRequest('allow', ids, 'POST', body, '')).toEqual({
      body: { variables: { n: 1 }, operationName: 'Q', extensions: persisted({ client: 'web' }) },
      search: '',
    });
  });

  it('turns a GET documentId into a persisted-query request, keeping the other parameters', () => {
    const search = `?documentId=known&variables=${encodeURIComponent('{"n":1}')}&operationName=Q`;
    const result = resolveTrustedRequest('enforce', ids, 'GET', undefined, search);
    const params = new URLSearchParams(result.refused ? '' : result.search);
    expect(Object.fromEntries(params)).toEqual({ variables: '{"n":1}', operationName: 'Q', extensions: JSON.stringify(persisted()) });
  });

  it('leaves a document sent as text alone under allow, and refuses it under enforce', () => {
    const body = { query: '{ __typename }' };
    expect(resolveTrustedRequest('allow', ids, 'POST', body, '')).toEqual({ body, search: '' });
    expect(resolveTrustedRequest('enforce', ids, 'POST', body, '').refused?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(resolveTrustedRequest('enforce', ids, 'GET', undefined, '?query=%7B__typename%7D').refused?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('serves a known APQ hash from the manifest, dropping a text sent with it', () => {
    const body = { query: '{ anything }', extensions: persisted() };
    expect(resolveTrustedRequest('enforce', ids, 'POST', body, '')).toEqual({ body: { extensions: persisted() }, search: '' });
  });

  it('leaves an unknown APQ hash to Apollo under allow, and answers it as not found under enforce', () => {
    const body = { extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } };
    expect(resolveTrustedRequest('allow', ids, 'POST', body, '')).toEqual({ body, search: '' });
    expect(resolveTrustedRequest('enforce', ids, 'POST', body, '').refused).toMatchObject({ status: 400, code: 'PERSISTED_QUERY_NOT_FOUND' });
  });

  it('leaves bodies that are not one request object to Apollo', () => {
    const batch = [{ documentId: 'known' }];
    expect(resolveTrustedRequest('enforce', ids, 'POST', batch, '')).toEqual({ body: batch, search: '' });
  });
});
