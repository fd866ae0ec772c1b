import type { Socket } from 'node:net';
import { errorBody } from './http-error.ts';

/**
 * Node's refusals of a connection before Fastify has a request for it, above all a request whose
 * headers and body did not arrive within INKQL_REQUEST_TIMEOUT_MS: answered in the GraphQL error
 * shape on the raw socket, which is then destroyed, freeing what the body had buffered.
 */
export function answerClientError(requestTimeoutMs: number) {
  return (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, body] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', errorBody(`The request did not arrive within ${requestTimeoutMs} ms`, 'REQUEST_TIMEOUT')]
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', errorBody('The request headers are too large', 'BAD_REQUEST')]
          : [400, 'Bad Request', errorBody('Malformed HTTP request', 'BAD_REQUEST')];
    // Like Node's own handler: never write into a response that has already started.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
