import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminDir, adminSocketPath, embeddedDatabaseMarker } from '../../src/admin/admin-socket-path.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { spawnProcess, startServerProcess, type StartedServer } from '../support/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { toResult } from '../support/test-server.ts';

// `npm run token` while `npm start` runs, as a developer does in a second terminal: the token the
// command prints must be one the running server accepts. On embedded PGlite the server holds the
// database, so the command asks it over its local socket; on Postgres both reach the same database.

const kind = inject('database');
// A first start seeds the demo data into a fresh embedded database: slow on a busy machine (a bound, not a timing assertion).
const PROCESS_TEST_TIMEOUT_MS = 400_000;

const CREATE = 'mutation ($input: CreatePostInput!) { createPost(input: $input) { post { author { id } } } }';

let database: TestDatabase;
let dataDir: string;
let server: StartedServer;

function env(): Record<string, string> {
  return kind === 'postgres' ? { DATABASE_URL: database.databaseUrl! } : { INKQL_DATA_DIR: dataDir };
}

/** The real CLI (`npm run token -- --author N` is `node --import tsx src/main.ts token --author N`). */
async function runToken(author: string, environment: Record<string, string> = env()) {
  const cli = spawnProcess(['--import', 'tsx', 'src/main.ts', 'token', '--author', author], { env: environment });
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout().trim(), stderr: cli.stderr() };
}

async function createPostAs(token: string) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CREATE, variables: { input: { title: 'From the token command', body: 'It works.' } } }),
  });
  return toResult(response);
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'inkql-token-test-'));
  server = await startServerProcess(env());
}, PROCESS_TEST_TIMEOUT_MS);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  rmSync(dataDir, { recursive: true, force: true });
  await database?.close();
});

describe('the token command while the server runs', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('prints a token the running server accepts', async () => {
    const { code, stdout, stderr } = await runToken('7');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^inkql_[A-Za-z0-9_-]{43}$/);
    expect(stderr).toMatch(/^API token for author 7 \(.+\); it is shown only once:/);
    const result = await createPostAs(stdout);
    expect(result.errors).toBeUndefined();
    expect(result.data.createPost.post.author.id).toBe(toGlobalId('Author', 7));
  });

  it('refuses an unknown author, printing no token', async () => {
    const { code, stdout, stderr } = await runToken('999999');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('no author with id 999999');
  });

  it('prints a demo token at start, on a line of its own, that the server accepts', async () => {
    const line = await server.waitForLine(/^ {2}Authorization: Bearer inkql_/);
    const token = line.trim().slice('Authorization: Bearer '.length);
    const result = await createPostAs(token);
    expect(result.errors).toBeUndefined();
    expect(result.data.createPost.post.author.id).toBe(toGlobalId('Author', 1));
    // The explorer's mutation example has it filled in.
    const page = await (await fetch(new URL('/', server.url))).text();
    expect(page).toContain(`"demoToken":"${token}"`);
  });

  it.runIf(kind === 'pglite')('offers its socket only in a directory no other user may enter', () => {
    expect(statSync(adminDir(dataDir)).mode & 0o777).toBe(0o700);
  });

  it.runIf(kind === 'pglite')('answers anything but a token request on its socket with an error, and keeps serving', async () => {
    const call = (method: string, path: string, body: string) =>
      new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
        const sent = request({ socketPath: adminSocketPath(dataDir), method, path, headers: { 'content-type': 'application/json' } }, (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          response.once('end', () => resolve({ status: response.statusCode, body: text }));
        });
        sent.once('error', reject);
        sent.end(body);
      });
    expect((await call('GET', '/tokens', '')).status).toBe(404);
    expect((await call('POST', '/tokens', 'not json')).status).toBe(400);
    expect((await call('POST', '/tokens', '{"authorId":"1 or 1=1"}')).status).toBe(400);
    expect((await call('POST', '/tokens', JSON.stringify({ authorId: 1, padding: 'x'.repeat(100_000) }))).status).toBe(400);
    const issued = await call('POST', '/tokens', '{"authorId":2}');
    expect(issued.status).toBe(200);
    expect(JSON.parse(issued.body)).toMatchObject({ authorId: 2, token: expect.stringMatching(/^inkql_/) });
  });
});

describe.runIf(kind === 'pglite')('the token command with no server running', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('writes into the embedded database itself, and the next server accepts the token', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const { code, stdout, stderr } = await runToken('3');
    expect(code, stderr).toBe(0);
    server = await startServerProcess(env());
    const result = await createPostAs(stdout);
    expect(result.errors).toBeUndefined();
    expect(result.data.createPost.post.author.id).toBe(toGlobalId('Author', 3));
  });
});

describe.runIf(kind === 'pglite')('the token command and an embedded database another process holds', () => {
  it('refuses, saying what to do, and prints no token', async () => {
    const busyDir = mkdtempSync(join(tmpdir(), 'inkql-token-busy-'));
    try {
      // What PGlite leaves while a process (here: none that answers on the socket) has the database open.
      mkdirSync(join(busyDir, 'pgdata'));
      writeFileSync(embeddedDatabaseMarker(busyDir), '-42\n');
      const { code, stdout, stderr } = await runToken('1', { INKQL_DATA_DIR: busyDir });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('is open in another process');
      expect(stderr).toContain('npm start');
    } finally {
      rmSync(busyDir, { recursive: true, force: true });
    }
  });
});
