import type { LazyViewer } from '../auth/viewer.ts';

/**
 * The longest textual IP address (IPv6 with an IPv4 tail). With INKQL_TRUST_PROXY=on the address
 * is whatever X-Forwarded-For says, so it is cut to this length: a bucket's key, in memory or in
 * Redis, stays a few bytes however long the header.
 */
export const MAX_ADDRESS_LENGTH = 45;

/**
 * Whose bucket pays for a request: the author behind a valid token (all of an author's tokens
 * share one bucket), else the client's address (Fastify's `request.ip`, which follows
 * X-Forwarded-For only as far as INKQL_TRUST_PROXY allows). An invented or revoked token
 * pays from its address's bucket: only a token lookup that found an author opens another.
 */
export async function clientKeyOf(viewer: LazyViewer, address: string): Promise<string> {
  let found;
  try {
    found = await viewer.get();
  } catch {
    // The lookup failed (database unavailable): the address pays, never a bucket of the token's own.
    found = null;
  }
  return found ? `author:${found.authorId}` : `ip:${address.slice(0, MAX_ADDRESS_LENGTH)}`;
}
