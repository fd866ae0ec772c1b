/**
 * The UTF-8 length of the document a request carries (`query` of a POST body or of a GET's
 * query string, an APQ registration included) when it is over `maxBytes`; undefined otherwise.
 * It runs before Apollo parses anything: comments are not tokens, so the token limit does not
 * stop a document padded with them, and every parsed document keeps its whole source alive.
 */
export function oversizedDocument(method: string, body: unknown, search: string, maxBytes: number): number | undefined {
  const query = method === 'GET' ? new URLSearchParams(search).get('query') : queryOfBody(body);
  if (typeof query !== 'string' || query.length * 3 <= maxBytes) return undefined;
  // A UTF-16 unit is at most 3 bytes of UTF-8, so only a long string needs counting (which copies nothing).
  const bytes = Buffer.byteLength(query, 'utf8');
  return bytes > maxBytes ? bytes : undefined;
}

function queryOfBody(body: unknown): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { query?: unknown }).query : undefined;
}
