import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDocumentStore, DOCUMENT_BASE_BYTES, DOCUMENT_TOKEN_BYTES, documentBytes } from '../../src/cache/document-store.ts';

describe('documentBytes', () => {
  it('counts the whole source, comments included, and every token', () => {
    const source = `# ${'x'.repeat(100_000)}\nquery Q { __typename }`;
    // <SOF>, the comment, query, Q, {, __typename, }, <EOF>
    expect(documentBytes(parse(source))).toBe(DOCUMENT_BASE_BYTES + 2 * source.length + 16 + 8 * DOCUMENT_TOKEN_BYTES);
  });
});

describe('createDocumentStore', () => {
  it('keeps documents up to its byte size, evicting the least recently used', async () => {
    const store = createDocumentStore(1024 * 1024);
    for (let i = 0; i < 100; i++) await store.set(`doc${i}`, parse(`# ${'x'.repeat(100_000)}\nquery Q${i} { __typename }`));
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(store.size).toBe(4);
    expect(await store.get('doc99')).toBeDefined();
    expect(await store.get('doc0')).toBeUndefined();
  });

  it('always finds pinned documents under Apollo\'s "<schema hash>:<source hash>" key, whatever else it keeps', async () => {
    const pinnedDocument = parse('query Pinned { __typename }');
    const store = createDocumentStore(1024 * 1024, new Map([['abc123', pinnedDocument]]));
    for (let i = 0; i < 100; i++) await store.set(`schema:doc${i}`, parse(`# ${'x'.repeat(100_000)}\nquery Q${i} { __typename }`));
    await store.set('schema:abc123', parse('query Other { __typename }'));
    expect(await store.get('schema:abc123')).toBe(pinnedDocument);
    expect(store.bytes).toBeLessThanOrEqual(1024 * 1024);
  });
});
