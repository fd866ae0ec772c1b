import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Logger } from 'pino';
import { type IssuedToken, UnknownAuthorError } from '../auth/issue-author-token.ts';
import { adminDir, adminSocketPath } from './admin-socket-path.ts';

/** A request body is `{"authorId":N}`: anything longer is not one. */
const MAX_BODY_BYTES = 1024;

export interface AdminSocketOptions {
  readonly dataDir: string;
  readonly logger: Logger;
  /** Issues a token once the database is migrated and seeded (requests wait for it). */
  readonly issueToken: (authorId: number) => Promise<IssuedToken>;
}

export interface AdminSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** Whether something answers on the socket at `path` (a live server rather than a stale file). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The directory exists, is no symlink, belongs to this user, and only this user may enter it. */
async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const stats = await lstat(dir);
  const uid = process.getuid?.();
  if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid) || (stats.mode & 0o077) !== 0) {
    throw new Error(`${dir} must be a directory of this user with mode 0700`);
  }
}

function send(response: ServerResponse, status: number, body: object): void {
  // One request per connection: the token command makes one, and an unread body is dropped with the connection.
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        // Read no further: the answer closes the connection (send), dropping the rest.
        request.pause();
        request.removeAllListeners('data');
        resolve(undefined);
      }
    });
    request.once('end', () => resolve(body));
    request.once('error', reject);
  });
}

function handle(issueToken: AdminSocketOptions['issueToken'], logger: Logger) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || request.url !== '/tokens') return send(response, 404, { error: 'only POST /tokens is served here' });
    const body = await readBody(request).catch(() => undefined);
    let authorId: unknown;
    try {
      authorId = body === undefined ? undefined : (JSON.parse(body) as { authorId?: unknown }).authorId;
    } catch {
      authorId = undefined;
    }
    if (typeof authorId !== 'number' || !Number.isInteger(authorId) || authorId < 1) {
      return send(response, 400, { error: 'the body must be {"authorId": <an integer >= 1>}' });
    }
    try {
      const issued = await issueToken(authorId);
      logger.info({ authorId }, `issued an API token for author ${authorId} to a local token command`);
      return send(response, 200, issued);
    } catch (error) {
      if (error instanceof UnknownAuthorError) return send(response, 404, { error: error.message });
      logger.error({ err: error }, 'the token command asked for a token and issuing it failed');
      return send(response, 500, { error: `issuing the token failed: ${(error as Error).message}` });
    }
  };
}

/**
 * Lets `npm run token` issue tokens through this process while it holds the embedded database
 * (a second process opening the same PGlite directory would write into a copy the server never
 * reads). Resolves to undefined, with a warning, where no socket can be offered; the token
 * command then refuses rather than print a token that would not work.
 */
export async function startAdminSocket({ dataDir, logger, issueToken }: AdminSocketOptions): Promise<AdminSocket | undefined> {
  const path = adminSocketPath(dataDir);
  const unavailable = (reason: string) => {
    logger.warn(`npm run token cannot reach this server (${reason}): stop the server to issue tokens`);
    return undefined;
  };
  if (!path) return unavailable(process.platform === 'win32' ? 'no local socket on Windows' : `the data directory's path is too long for a socket`);
  try {
    await ensurePrivateDir(adminDir(dataDir));
  } catch (error) {
    return unavailable((error as Error).message);
  }
  if (await answers(path)) return unavailable(`another server already answers on ${path}`);
  await unlink(path).catch(() => {});
  const server: Server = createServer((request, response) => void handle(issueToken, logger)(request, response));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } catch (error) {
    return unavailable(`cannot listen on ${path}: ${(error as Error).message}`);
  }
  server.unref();
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
