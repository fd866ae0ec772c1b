import type { HTTPGraphQLResponse } from '@apollo/server';
import { VARY_HEADERS } from './cache-policy.ts';
import { etagOf, ifNoneMatchHas } from './etag.ts';
import { entryBytes, MAX_RESPONSE_TAGS, type ResponseEntry } from './response-cache.ts';

// HTTP around the response cache: ETags and 304s on every cacheable read, the entity tags a CDN
// purges by, and the answer to a hit (which never reaches Apollo).

/** The request facts these helpers need. */
export interface ConditionalRequest {
  readonly method: string;
  readonly ifNoneMatch: string | undefined;
}

/** A response ready for Fastify: status, headers and body ('' for a 304). */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Map<string, string>;
  readonly body: string;
}

/**
 * `Surrogate-Key` (Fastly, space-separated) and `Cache-Tag` (Cloudflare, comma-separated): the
 * entities and lists a response holds, so a CDN can purge exactly what a write made stale.
 */
export function setTagHeaders(headers: Map<string, string>, tags: readonly string[]): void {
  if (tags.length === 0) return;
  headers.set('surrogate-key', tags.join(' '));
  headers.set('cache-tag', tags.join(','));
}

/** A conditional GET whose validator still matches gets 304 and no body (RFC 9110). */
function conditional(request: ConditionalRequest, headers: Map<string, string>, body: string): PlainResponse {
  const etag = headers.get('etag');
  if (request.method === 'GET' && etag && ifNoneMatchHas(request.ifNoneMatch, etag)) {
    const kept = new Map<string, string>();
    for (const name of ['etag', 'cache-control', 'vary', 'server-timing']) {
      const value = headers.get(name);
      if (value !== undefined) kept.set(name, value);
    }
    return { status: 304, headers: kept, body: '' };
  }
  return { status: 200, headers, body };
}

/** The answer to a response-cache hit; `trace` (shown traces only) is added to the stored body. */
export function answerFromCache(request: ConditionalRequest, entry: ResponseEntry, serverTiming: string, trace?: object): PlainResponse {
  const headers = new Map<string, string>([
    ['content-type', entry.contentType],
    ['vary', VARY_HEADERS],
    ['server-timing', serverTiming],
  ]);
  if (trace) {
    // A traced answer describes this request: no cache keeps it, and it gets no validator.
    const body = JSON.parse(entry.body) as { extensions?: object };
    headers.set('cache-control', 'no-store');
    return { status: 200, headers, body: JSON.stringify({ ...body, extensions: { ...body.extensions, trace } }) };
  }
  headers.set('cache-control', entry.cacheControl);
  headers.set('etag', entry.etag);
  setTagHeaders(headers, entry.tags);
  return conditional(request, headers, entry.body);
}

/**
 * An executed response as a plain one with an ETag when it is a cacheable read (a success whose
 * Cache-Control is not no-store) that can be revalidated: a GET, or one the response cache keeps
 * (a later GET may be answered from it); answered with 304 when the client already holds it. Also
 * returns the entry to store when `tags` were collected and the response may be shared, within
 * `maxBytes`.
 */
export function finishExecuted(
  request: ConditionalRequest,
  response: HTTPGraphQLResponse,
  tags: ReadonlySet<string> | undefined,
  maxBytes: number,
): { plain: PlainResponse; entry?: ResponseEntry } | undefined {
  const cacheControl = response.headers.get('cache-control');
  if ((response.status ?? 200) !== 200 || response.body.kind !== 'complete' || !cacheControl || cacheControl === 'no-store') return undefined;
  const body = response.body.string;
  const headers = new Map<string, string>(response.headers);
  let entry: ResponseEntry | undefined;
  if (tags) {
    const tagList = [...tags];
    // Past the bound the tag list is not sent either: CDNs cap these headers (Fastly at 16 KB).
    if (tagList.length <= MAX_RESPONSE_TAGS) setTagHeaders(headers, tagList);
    const shared = cacheControl.includes('public');
    if (shared && tagList.length <= MAX_RESPONSE_TAGS && entryBytes({ body, tags: tagList }) <= maxBytes) {
      entry = { body, etag: etagOf(body), tags: tagList, contentType: headers.get('content-type') ?? 'application/json', cacheControl };
    }
  }
  // Browsers and CDNs revalidate GETs only: hashing every POST's body bought nothing.
  const etag = entry?.etag ?? (request.method === 'GET' ? etagOf(body) : undefined);
  if (etag) headers.set('etag', etag);
  return { plain: conditional(request, headers, body), entry };
}
