import type { FastifyReply } from 'fastify';

/** Codes for requests refused by HTTP before GraphQL sees them (bad JSON, 413, 415, 405). */
const HTTP_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  500: 'INTERNAL_SERVER_ERROR',
};

/** A GraphQL-shaped error body for an HTTP-level refusal, so clients parse one format. */
export function httpError(reply: FastifyReply, status: number, message: string, code = HTTP_ERROR_CODES[status] ?? 'BAD_REQUEST'): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(message, code));
}

/** `{"errors":[{"message":...,"extensions":{"code":...}}]}`, the one error shape of every answer. */
export function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
}
