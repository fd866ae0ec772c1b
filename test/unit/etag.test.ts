import { describe, expect, it } from 'vitest';
import { etagOf, ifNoneMatchHas, MAX_IF_NONE_MATCH_LENGTH } from '../../src/cache/etag.ts';

describe('etagOf', () => {
  it('is a strong, quoted tag that depends only on the bytes', () => {
    expect(etagOf('{"data":1}')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(etagOf('{"data":1}')).toBe(etagOf('{"data":1}'));
    expect(etagOf('{"data":2}')).not.toBe(etagOf('{"data":1}'));
  });
});

describe('ifNoneMatchHas', () => {
  const etag = etagOf('body');

  it('finds the tag in a list, weak or strong, and matches *', () => {
    expect(ifNoneMatchHas(`"a", ${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHas(`W/${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHas('*', etag)).toBe(true);
  });

  it('matches nothing for absent, malformed or oversized headers', () => {
    expect(ifNoneMatchHas(undefined, etag)).toBe(false);
    expect(ifNoneMatchHas('garbage', etag)).toBe(false);
    expect(ifNoneMatchHas(etag.slice(0, -1), etag)).toBe(false);
    expect(ifNoneMatchHas(`${' '.repeat(MAX_IF_NONE_MATCH_LENGTH)}${etag}`, etag)).toBe(false);
  });
});
