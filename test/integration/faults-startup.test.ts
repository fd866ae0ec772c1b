import net from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { spawnServer } from '../support/server-process.ts';

// Postgres unreachable at start: the server exits 1 with a message naming the
// database (never its password) and lets its supervisor restart it. Nothing here depends on the
// project's database, so it runs once, in the PGlite project.

const PASSWORD = 'not-to-be-printed';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.runIf(inject('database') === 'pglite')('start-up without a database', () => {
  const silent: net.Socket[] = [];
  const silentServer = net.createServer((socket) => silent.push(socket));

  afterAll(async () => {
    for (const socket of silent) socket.destroy();
    await new Promise<void>((resolve) => (silentServer.listening ? silentServer.close(() => resolve()) : resolve()));
  });

  it('exits 1 naming the database, without its password, when the port is closed', async () => {
    const port = await closedPort();
    const server = spawnServer({ DATABASE_URL: `postgres://inkql:${PASSWORD}@127.0.0.1:${port}/blog` });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.stderr()).toContain(`inkql serve failed: cannot reach Postgres at 127.0.0.1:${port}/blog: connect ECONNREFUSED`);
    expect(server.stderr() + server.stdout()).not.toContain(PASSWORD);
  });

  it('exits 1 after the connect timeout when the database accepts but never answers', async () => {
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const { port } = silentServer.address() as net.AddressInfo;
    const server = spawnServer({ DATABASE_URL: `postgres://inkql:${PASSWORD}@127.0.0.1:${port}/blog` });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    expect(server.stderr()).toMatch(new RegExp(`cannot reach Postgres at 127.0.0.1:${port}/blog: .*timeout`));
    expect(server.stderr() + server.stdout()).not.toContain(PASSWORD);
  });
});
