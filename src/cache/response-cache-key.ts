import { createHash } from 'node:crypto';

// The response cache's key: a SHA-256 of everything an anonymous read's response depends on,
//
//   method \0 query \0 operationName \0 variables (JSON) \0 extensions (JSON) \0 Accept
//
// The method is part of it because GET and POST carry variables differently (text vs object);
// Accept picks the response's content type. Requests that may change the body in other ways
// (Authorization, a shown trace, the batching switch) never reach the cache (http/graphql-route.ts).

/** Content types a cross-site form can send without a preflight (Apollo's CSRF prevention refuses them). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Apollo's CSRF rule: a hit is served only to requests Apollo itself would execute. */
function wouldPassCsrfPrevention(headers: Headers): boolean {
  const contentType = single(headers['content-type']);
  if (contentType && !SIMPLE_CONTENT_TYPES.includes(contentType.split(';')[0]!.trim().toLowerCase())) return true;
  return PREFLIGHT_HEADERS.some((name) => single(headers[name]).length > 0);
}

/**
 * The key of a GraphQL request over GET (`search` holds it) or POST (`body`), or undefined when
 * the request is not one the response cache answers (a batch, a body that is not an object, a
 * request Apollo would refuse for CSRF).
 */
export function responseCacheKey(method: string, search: string, body: unknown, headers: Headers): string | undefined {
  if (!wouldPassCsrfPrevention(headers)) return undefined;
  let parts: string[];
  if (method === 'GET') {
    const params = new URLSearchParams(search);
    parts = ['GET', params.get('query') ?? '', params.get('operationName') ?? '', params.get('variables') ?? '', params.get('extensions') ?? ''];
  } else if (method === 'POST' && body && typeof body === 'object' && !Array.isArray(body)) {
    const request = body as Record<string, unknown>;
    if (request.query !== undefined && typeof request.query !== 'string') return undefined;
    parts = [
      'POST',
      (request.query as string | undefined) ?? '',
      typeof request.operationName === 'string' ? request.operationName : '',
      JSON.stringify(request.variables ?? null),
      JSON.stringify(request.extensions ?? null),
    ];
  } else {
    return undefined;
  }
  parts.push(single(headers.accept));
  return createHash('sha256').update(parts.join('\0')).digest('base64url');
}
