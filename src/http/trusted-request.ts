import type { TrustedDocumentsMode } from '../config.ts';

// How a request names a trusted document, and what each mode does with it:
//
// | request carries                         | allow                 | enforce                      |
// |-----------------------------------------|-----------------------|------------------------------|
// | documentId of the manifest              | runs it               | runs it                      |
// | documentId not in the manifest          | PERSISTED_QUERY_NOT_FOUND (400)                      |
// | APQ hash (or id) of the manifest        | runs it               | runs it                      |
// | APQ hash not in the manifest, no query  | APQ as usual          | PERSISTED_QUERY_NOT_FOUND    |
// | query (APQ registrations included)      | runs it               | PERSISTED_QUERY_NOT_ALLOWED  |
//
// A named document reaches Apollo as an APQ request for its SHA-256 (`query` dropped), which the
// persisted-query store answers from the manifest and the document store from what was prepared
// at start-up: nothing is parsed, validated or compiled for it. The request keeps its method and
// headers, so Apollo's CSRF rule and "GET runs queries only" apply as to any request.

export interface DocumentIds {
  find(id: string): { readonly hash: string } | undefined;
}

export type TrustedRequest =
  | { readonly refused?: undefined; readonly body: unknown; readonly search: string }
  | { readonly refused: { readonly status: number; readonly code: string; readonly message: string } };

const refuse = (status: number, code: string, message: string): TrustedRequest => ({ refused: { status, code, message } });

/** The request as Apollo should see it under `mode`, or why it is refused. */
export function resolveTrustedRequest(mode: Exclude<TrustedDocumentsMode, 'off'>, ids: DocumentIds, method: string, body: unknown, search: string): TrustedRequest {
  if (method === 'GET') {
    const params = new URLSearchParams(search);
    const extensions = parseJsonParam(params.get('extensions'));
    const decision = decide(mode, ids, params.get('documentId') ?? undefined, params.get('query') || undefined, extensions);
    if (decision === undefined) return { body, search };
    if (typeof decision !== 'string') return decision;
    params.delete('documentId');
    params.delete('query');
    params.set('extensions', JSON.stringify(withHash(extensions, decision)));
    return { body, search: `?${params.toString()}` };
  }
  if (method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body)) return { body, search };
  const { documentId, query, ...rest } = body as Record<string, unknown>;
  const decision = decide(mode, ids, documentId ?? undefined, query ?? undefined, rest.extensions);
  if (decision === undefined) return { body, search };
  if (typeof decision !== 'string') return decision;
  return { body: { ...rest, extensions: withHash(rest.extensions, decision) }, search };
}

/** The SHA-256 to run, a refusal, or undefined to leave the request as it is. */
function decide(mode: 'allow' | 'enforce', ids: DocumentIds, documentId: unknown, query: unknown, extensions: unknown): string | TrustedRequest | undefined {
  if (documentId !== undefined) {
    if (typeof documentId !== 'string') return refuse(400, 'BAD_REQUEST', '"documentId" must be a string');
    if (query !== undefined) return refuse(400, 'BAD_REQUEST', 'Send either "query" or "documentId", not both');
    return ids.find(documentId)?.hash ?? refuse(400, 'PERSISTED_QUERY_NOT_FOUND', 'No trusted document has this documentId');
  }
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  const known = typeof persisted === 'string' ? ids.find(persisted) : undefined;
  if (known) return known.hash;
  if (mode === 'allow') return undefined;
  if (query !== undefined) return refuse(400, 'PERSISTED_QUERY_NOT_ALLOWED', 'Only trusted documents run here: send the "documentId" of one');
  if (persisted !== undefined) return refuse(400, 'PERSISTED_QUERY_NOT_FOUND', 'No trusted document has this hash');
  return undefined;
}

function withHash(extensions: unknown, hash: string): Record<string, unknown> {
  const rest = extensions && typeof extensions === 'object' && !Array.isArray(extensions) ? extensions : {};
  return { ...rest, persistedQuery: { version: 1, sha256Hash: hash } };
}

/** A GET's `extensions` as Apollo would read it; undefined when absent or not JSON (Apollo then answers for it). */
function parseJsonParam(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
