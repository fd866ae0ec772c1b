import { describe, expect, it } from 'vitest';
import type { LazyViewer, Viewer } from '../../src/auth/viewer.ts';
import { clientKeyOf, MAX_ADDRESS_LENGTH } from '../../src/limits/client-key.ts';

function viewerOf(lookup: () => Promise<Viewer | null>): LazyViewer {
  return { get: lookup, require: async () => (await lookup())! };
}

describe('clientKeyOf', () => {
  it('keys a verified viewer on the author, whatever the address', async () => {
    expect(await clientKeyOf(viewerOf(async () => ({ authorId: 7 })), '10.0.0.1')).toBe('author:7');
  });

  it('keys a request without a valid token on its address', async () => {
    expect(await clientKeyOf(viewerOf(async () => null), '10.0.0.1')).toBe('ip:10.0.0.1');
  });

  it('keys on the address when the token lookup fails', async () => {
    const failing = viewerOf(() => Promise.reject(new Error('database unavailable')));
    expect(await clientKeyOf(failing, '::1')).toBe('ip:::1');
  });

  it('bounds the key of an address taken from a long X-Forwarded-For', async () => {
    const key = await clientKeyOf(viewerOf(async () => null), 'x'.repeat(10_000));
    expect(key).toBe(`ip:${'x'.repeat(MAX_ADDRESS_LENGTH)}`);
  });
});
