import net from 'node:net';

/**
 * A TCP proxy the test controls, in front of a real service (the shared Postgres), so that a
 * test can make "the database" vanish and come back without touching the service itself.
 *
 * | call      | new connections            | open connections                        |
 * |-----------|----------------------------|-----------------------------------------|
 * | cut()     | refused (not listening)    | destroyed (like a crash or a cable cut)  |
 * | restore() | forwarded again, same port | -                                       |
 * | pause()   | accepted, then silent      | kept open, bytes held (a hung server)   |
 * | resume()  | forwarded                  | held bytes delivered in order           |
 */
export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port pointed at the proxy. */
  via(url: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Client connections that sent bytes while paused: each is a caller waiting on the service. */
  readonly heldConnections: number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
}

export interface TcpProxyOptions {
  /** Sees every chunk a client sends, in order, with its connection (to decode a protocol). */
  readonly onClientData?: (client: net.Socket, chunk: Buffer) => void;
}

export async function startTcpProxy(target: { host: string; port: number }, options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let paused = false;
  let held: { to: net.Socket; chunk: Buffer }[] = [];
  const heldFrom = new Set<net.Socket>();

  const forward = (from: net.Socket, to: net.Socket, fromClient: boolean) => {
    from.on('data', (chunk: Buffer) => {
      if (fromClient) options.onClientData?.(from, chunk);
      if (paused) {
        held.push({ to, chunk });
        if (fromClient) heldFrom.add(from);
      } else {
        to.write(chunk);
      }
    });
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    const pair = { client, upstream };
    pairs.add(pair);
    forward(client, upstream, true);
    forward(upstream, client, false);
    const end = () => {
      pairs.delete(pair);
      heldFrom.delete(client);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });

  await listen(0);
  const port = (server.address() as net.AddressInfo).port;

  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const destroyAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    held = [];
    heldFrom.clear();
  };

  return {
    port,
    via: (url) => {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut: async () => {
      // Close first so nothing reconnects between the two steps; server.close() waits for open
      // connections, which destroyAll ends right after.
      const closed = stopListening();
      destroyAll();
      await closed;
    },
    restore: () => listen(port),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      const pending = held;
      held = [];
      heldFrom.clear();
      for (const { to, chunk } of pending) if (!to.destroyed) to.write(chunk);
    },
    get heldConnections() {
      return heldFrom.size;
    },
    close: async () => {
      const closed = stopListening();
      destroyAll();
      await closed;
    },
  };
}
