import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { startServerProcess, type StartedServer } from '../support/server-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { NO_REPLICA, replicaUrlOf, testReplicaUrl, waitForReplay } from '../support/test-replica.ts';

// Read replicas on real streaming replication: the replica of TEST_REPLICA_URL (.ci/run starts it
// with recovery_min_apply_delay = 300ms, so it is behind every write for a while). Two server
// processes share Redis, as a deployment of several processes would: one writes, the other reads.

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly consistency: string | null;
}

async function graphql(server: StartedServer, query: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-inkql-trace': '1', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json(), consistency: response.headers.get('x-inkql-consistency') };
}

const databasesOf = (answer: Answer): string[] => answer.body.extensions.trace.sql.statements.map((statement: { database: string }) => statement.database);

const runs = inject('database') === 'postgres' && testReplicaUrl() !== undefined && inject('redisUrl') !== '';

describe.runIf(runs)('read replicas', () => {
  let database: TestDatabase;
  let writer: StartedServer;
  let reader: StartedServer;
  let token: string;
  let replicaName: string;

  const servers: StartedServer[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServerProcess({
      DATABASE_URL: database.databaseUrl!,
      DATABASE_REPLICA_URLS: replicaUrlOf(database.databaseUrl!),
      REDIS_URL: inject('redisUrl'),
      INKQL_CACHE_NAMESPACE: `replicas-${process.pid}`,
      // Generous, so that a read with a token is served by the replica after waiting, as designed.
      INKQL_CONSISTENCY_WAIT_MS: '5000',
      INKQL_REPLICA_MAX_LAG_MS: '10000',
      ...env,
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await waitForReplay(database.databaseUrl!);
    token = await issueApiToken(database.handle.db, 1);
    await waitForReplay(database.databaseUrl!);
    [writer, reader] = await Promise.all([start(), start()]);
    const { port } = new URL(testReplicaUrl()!);
    replicaName = `replica 1 (127.0.0.1:${port})`;
  });

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await database?.close();
  });

  const createPost = (title: string) =>
    graphql(writer, `mutation { createPost(input: { title: ${JSON.stringify(title)}, body: "written to the primary" }) { post { id title } } }`, {
      authorization: `Bearer ${token}`,
    });

  it('answers a mutation with its consistency token in the header and in extensions, from the primary', async () => {
    const written = await createPost('token in two places');
    expect(written.body.errors).toBeUndefined();
    expect(written.consistency).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(written.body.extensions.consistency).toBe(written.consistency);
    expect(new Set(databasesOf(written))).toEqual(new Set(['primary']));
  });

  it('serves a read that sends the token back, on another process, with the write in it, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const title = `read your write ${round}`;
      const written = await createPost(title);
      const id = written.body.data.createPost.post.id;
      const read = await graphql(reader, `{ node(id: ${JSON.stringify(id)}) { ... on Post { title } } }`, { 'x-inkql-consistency': written.consistency! });
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data.node).toEqual({ title });
      // Served by the replica once it replayed the write (the wait is generous), and it says so.
      expect(databasesOf(read)).toEqual([replicaName]);
    }
  });

  it('serves a read without a token from the replica, stale or not, never with an error', async () => {
    const written = await createPost('maybe not there yet');
    const id = written.body.data.createPost.post.id;
    const read = await graphql(reader, `{ node(id: ${JSON.stringify(id)}) { ... on Post { title } } }`);
    expect(read.status).toBe(200);
    expect(read.body.errors).toBeUndefined();
    expect([null, { title: 'maybe not there yet' }]).toContainEqual(read.body.data.node);
    expect(databasesOf(read)).toEqual([replicaName]);
  });

  it('never stores a count read from a replica behind the write that invalidated it', async () => {
    const author = toGlobalId('Author', 1);
    const count = `{ node(id: ${JSON.stringify(author)}) { ... on Author { postCount } } }`;
    await graphql(reader, count);
    await createPost('moves the count');
    // Right after the write, while the replica has not replayed it: this read computes the count
    // again (the write invalidated it) and offers it to the shared cache.
    const early = await graphql(reader, count);
    expect(early.body.errors).toBeUndefined();
    await waitForReplay(database.databaseUrl!);
    const rows = await database.handle.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).where('author_id', '=', 1).execute();
    const later = await graphql(reader, count);
    expect(later.body.data.node.postCount).toBe(Number(rows[0]!.n));
  });
  it('serves a read whose whole response may be kept for everyone from the primary', async () => {
    const server = await start({ INKQL_RESPONSE_CACHE: 'on', LOG_SQL: '1' });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Kept { posts(first: 3) { nodes { title } } }' }),
    });
    expect(response.status).toBe(200);
    const logged = await server.waitForLog((line) => line.msg === 'sql' && line.operationName === 'Kept');
    expect(logged.database).toBe('primary');
    // The same server reads from the replica what it will not keep (a response with a trace is never stored).
    const shown = await graphql(server, 'query Shown { posts(first: 3) { nodes { title } } }');
    expect(databasesOf(shown)).toEqual([replicaName]);
  });
});

describe.runIf(runs)('a read replica that goes away', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: StartedServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    await waitForReplay(database.databaseUrl!);
    const replica = new URL(testReplicaUrl()!);
    proxy = await startTcpProxy({ host: replica.hostname, port: Number(replica.port) });
    server = await startServerProcess({
      DATABASE_URL: database.databaseUrl!,
      DATABASE_REPLICA_URLS: proxy.via(replicaUrlOf(database.databaseUrl!)),
      INKQL_REPLICA_MAX_LAG_MS: '10000',
    });
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await proxy?.close();
    await database?.close();
  });

  const readyz = async () => (await fetch(new URL('/readyz', server.url))).json() as Promise<any>;

  it('fails no request when the replica is cut off under load, reports it in /readyz, and serves from it again when it returns', async () => {
    expect(await readyz()).toMatchObject({ status: 'ready', replicas: [{ status: 'up' }] });
    const answers: Answer[] = [];
    let cut = false;
    const worker = async () => {
      for (let n = 0; n < 25; n++) {
        answers.push(await graphql(server, '{ posts(first: 5) { nodes { title author { name } tags { name } } } }'));
        if (!cut && answers.length >= 40) {
          cut = true;
          await proxy.cut();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(cut).toBe(true);
    expect(answers).toHaveLength(200);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.posts.nodes).toHaveLength(5);
    }
    expect(answers.slice(0, 20).flatMap(databasesOf).every((name) => name.startsWith('replica 1'))).toBe(true);
    expect(answers.slice(-20).flatMap(databasesOf).every((name) => name === 'primary')).toBe(true);
    expect(await readyz()).toMatchObject({ status: 'ready', replicas: [{ status: 'down' }] });

    await proxy.restore();
    for (let attempt = 0; attempt < 100 && (await readyz()).replicas[0].status !== 'up'; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await graphql(server, '{ posts(first: 5) { nodes { title } } }');
    expect(databasesOf(again)).toEqual([expect.stringMatching(/^replica 1/)]);
  });
});

describe('a consistency token that is not one', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('is refused with 400 BAD_USER_INPUT naming the header, before anything runs', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-inkql-consistency': 'latest please' },
      body: JSON.stringify({ query: '{ posts(first: 1) { nodes { title } } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'X-Inkql-Consistency must be the token a mutation returned (a WAL position like 0/3000060), got "latest please"',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });
});

describe.skipIf(runs)('read replicas', () => {
  it.skip(NO_REPLICA, () => {});
});
