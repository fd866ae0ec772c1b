import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// Node's http server, when it closes, destroys every connection whose response has called end(),
// even when most of that response is still queued in this process because the client reads
// slower than we write: a large answer in flight at SIGTERM was cut mid-body. Here a connection
// is closed only once nothing of its answer is left to hand to the kernel (which delivers the
// rest after the socket is closed, and after the process has exited).

type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

/**
 * Makes `server.close()` wait for every started answer to be written out before ending its
 * connection; connections with no answer in progress close at once, as before.
 */
export function drainOnClose(server: Server): void {
  const sockets = new Set<HttpSocket>();
  server.on('connection', (socket: HttpSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Each waited on once: closeIdle runs again at every finished answer.
  const watched = new WeakSet<ServerResponse | Socket>();
  const closeIdle = () => {
    for (const socket of sockets) {
      const response = socket._httpMessage;
      if (response && !response.writableFinished) {
        // 'finish' comes once the last byte is with the kernel (and after Node has released a
        // kept-alive connection): then this connection is idle.
        if (!watched.has(response)) {
          watched.add(response);
          response.once('finish', closeIdle);
        }
        continue;
      }
      if (socket.writableLength > 0) {
        if (!watched.has(socket)) {
          watched.add(socket);
          socket.once('drain', () => {
            watched.delete(socket);
            closeIdle();
          });
        }
        continue;
      }
      socket.destroy();
    }
  };
  // Called by server.close() (and Fastify's forceCloseConnections: 'idle').
  server.closeIdleConnections = closeIdle;
}
