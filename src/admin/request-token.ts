import { request } from 'node:http';
import type { IssuedToken } from '../auth/issue-author-token.ts';
import { adminSocketPath } from './admin-socket-path.ts';

/** A server that is still seeding the demo data answers once it is done. */
export const TOKEN_REQUEST_TIMEOUT_MS = 300_000;

/** No server answers on the data directory's socket (none runs, or it offers no socket). */
export const NO_SERVER = Symbol('no server');

export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

/** Asks the server that holds the embedded database in `dataDir` for a token (start-admin-socket.ts). */
export function requestTokenFromServer(dataDir: string, authorId: number): Promise<IssuedToken | typeof NO_SERVER> {
  const socketPath = adminSocketPath(dataDir);
  if (!socketPath) return Promise.resolve(NO_SERVER);
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ authorId });
    const call = request(
      { socketPath, method: 'POST', path: '/tokens', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () => {
          let parsed: { error?: string } & Partial<IssuedToken>;
          try {
            parsed = JSON.parse(text);
          } catch {
            return reject(new TokenRequestError(`the running server answered ${response.statusCode} with no JSON`));
          }
          if (response.statusCode === 200 && typeof parsed.token === 'string') return resolve(parsed as IssuedToken);
          reject(new TokenRequestError(parsed.error ?? `the running server answered ${response.statusCode}`));
        });
      },
    );
    call.setTimeout(TOKEN_REQUEST_TIMEOUT_MS, () => call.destroy(new TokenRequestError(`the running server did not answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`)));
    call.once('error', (error: NodeJS.ErrnoException) => {
      // No socket file, or a stale one left by a server that is gone.
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(NO_SERVER);
      else reject(error);
    });
    call.end(body);
  });
}
