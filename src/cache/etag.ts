import { createHash } from 'node:crypto';

// A strong ETag for a response body: `"<27 characters of base64url SHA-256>"` (162 bits), the same
// for the same bytes on every process, so a CDN or browser revalidating against any process gets
// its 304.

/** Longest If-None-Match this server reads; a longer one is treated as matching nothing. */
export const MAX_IF_NONE_MATCH_LENGTH = 8192;

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether an If-None-Match header names `etag` (RFC 9110: a list of entity tags, weak ones
 * compared weakly, or `*`). Malformed members simply match nothing.
 */
export function ifNoneMatchHas(header: string | undefined, etag: string): boolean {
  if (!header || header.length > MAX_IF_NONE_MATCH_LENGTH) return false;
  if (header.trim() === '*') return true;
  for (const member of header.split(',')) {
    const candidate = member.trim();
    if (candidate === etag || candidate === `W/${etag}`) return true;
  }
  return false;
}
