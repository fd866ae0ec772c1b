import type { HTTPGraphQLResponse } from '@apollo/server';
import type { FastifyReply } from 'fastify';
import type { PlainResponse } from '../cache/response-cache-http.ts';
import { errorBody } from './http-error.ts';

/**
 * The backstop behind pricing (a field's cost bounds what it returns in characters, not in bytes):
 * the size of a complete answer over `maxBytes`, which is then replaced rather than sent. A UTF-16
 * unit is at most 3 bytes of UTF-8, so most responses need no counting.
 */
export function oversizedBytes(response: HTTPGraphQLResponse, maxBytes: number): number | undefined {
  if (response.body.kind !== 'complete' || response.body.string.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(response.body.string, 'utf8');
  return bytes > maxBytes ? bytes : undefined;
}

/** Apollo's answer onto Fastify's reply: a complete body (replaced when over `maxResponseBytes`) or a stream of chunks. */
export async function sendGraphQLResponse(reply: FastifyReply, response: HTTPGraphQLResponse, maxResponseBytes: number): Promise<void> {
  reply.code(response.status ?? 200);
  for (const [key, value] of response.headers) reply.header(key, value);
  if (response.body.kind === 'complete') {
    const bytes = oversizedBytes(response, maxResponseBytes);
    if (bytes !== undefined) {
      reply.header('cache-control', 'no-store');
      await reply.send(
        errorBody(`The response is ${bytes} bytes, over the maximum of ${maxResponseBytes}: ask for fewer items or fields`, 'RESPONSE_TOO_LARGE', {
          bytes,
          maximum: maxResponseBytes,
        }),
      );
      return;
    }
    await reply.send(response.body.string);
    return;
  }
  // Incremental delivery (@defer): stream the chunks as Apollo yields them.
  const chunks = response.body.asyncIterator;
  await reply.send(
    (async function* () {
      for await (const chunk of chunks) yield chunk;
    })(),
  );
}

/** A response the cache path built (a hit, a 304, or an executed answer it stamped). */
export async function sendPlain(reply: FastifyReply, response: PlainResponse): Promise<void> {
  reply.code(response.status);
  for (const [key, value] of response.headers) reply.header(key, value);
  await reply.send(response.body);
}
