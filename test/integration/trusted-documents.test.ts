import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConfigOverrides, LimitsConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { spawnProcess, spawnServer, startServerProcess } from '../support/server-process.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// Trusted documents: a manifest of the operations a frontend ships, prepared at start-up and
// called by id (`documentId`, or an APQ hash), with `allow` (ids and any document run) and
// `enforce` (only ids run) modes.

const kind = inject('database');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

const POSTS = 'query TrustedPosts { posts(first: 3) { nodes { title } } }';
const TAGS = 'query TrustedTags { tags(first: 2) { nodes { name } } }';
const DELETE = 'mutation TrustedDelete($id: ID!) { deletePost(id: $id) { deletedId } }';
const TOO_DEEP = 'query TooDeep { posts(first: 1) { nodes { author { posts(first: 1) { nodes { author { posts(first: 1) { nodes { author { posts(first: 1) { nodes { title } } } } } } } } } } } }';
const ARBITRARY = '{ posts(first: 1) { nodes { title } } }';

let dir: string;
let database: TestDatabase;

function writeManifest(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A POST with a JSON body, as clients send GraphQL. */
function post(server: { url: string }, body: unknown, headers: Record<string, string> = {}) {
  return fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(toResult);
}

/** A GET with the header Apollo's CSRF prevention asks of GETs. */
function get(server: { url: string }, params: Record<string, string>, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) {
  return fetch(`${server.url}?${new URLSearchParams(params)}`, { headers }).then(toResult);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inkql-trusted-'));
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startWith(limits: Partial<LimitsConfig>, overrides: ConfigOverrides = {}): Promise<TestServer> {
  return startTestServer(database, { log: { level: 'silent' }, limits, ...overrides });
}

describe('allow mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    const file = writeManifest('allow.json', {
      [`sha256:${sha(POSTS)}`]: POSTS,
      [sha(TAGS)]: TAGS,
      [sha(DELETE)]: DELETE,
      [sha(TOO_DEEP)]: TOO_DEEP,
    });
    server = await startWith({ trustedDocuments: file, trustedDocumentsMode: 'allow' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs a trusted document by its documentId over POST, in either spelling of the hash', async () => {
    const byPrefixed = await post(server, { documentId: `sha256:${sha(POSTS)}` });
    const byBare = await post(server, { documentId: sha(POSTS) });
    const byText = await post(server, { query: POSTS });
    expect(byPrefixed.status).toBe(200);
    expect(byPrefixed.errors).toBeUndefined();
    expect(byPrefixed.data.posts.nodes).toHaveLength(3);
    expect(byBare.data).toEqual(byPrefixed.data);
    expect(byText.data).toEqual(byPrefixed.data);
  });

  it('runs a trusted document by its documentId over GET, with variables and the CSRF header', async () => {
    const result = await get(server, { documentId: `sha256:${sha(TAGS)}` });
    expect(result.status).toBe(200);
    expect(result.data.tags.nodes).toHaveLength(2);
  });

  it('keeps the CSRF rule for a GET by documentId', async () => {
    const result = await get(server, { documentId: `sha256:${sha(TAGS)}` }, {});
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
  });

  it('refuses a mutation by documentId over GET, as any GET mutation', async () => {
    const result = await get(server, { documentId: sha(DELETE), variables: JSON.stringify({ id: 'UG9zdDox' }) });
    expect(result.status).toBe(405);
  });

  it('still runs arbitrary documents', async () => {
    const result = await post(server, { query: ARBITRARY });
    expect(result.status).toBe(200);
    expect(result.data.posts.nodes).toHaveLength(1);
  });

  it('answers an unknown documentId with PERSISTED_QUERY_NOT_FOUND', async () => {
    const result = await post(server, { documentId: `sha256:${sha('{ nothing }')}` });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses a documentId that is not a string', async () => {
    const result = await post(server, { documentId: { $ne: null } });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('refuses a request that sends both a query and a documentId', async () => {
    const result = await post(server, { documentId: sha(POSTS), query: ARBITRARY });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it("answers an APQ hash of a trusted document without a registration", async () => {
    const result = await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: sha(TAGS) } } });
    expect(result.errors).toBeUndefined();
    expect(result.data.tags.nodes).toHaveLength(2);
  });

  it('keeps automatic persisted queries working for other documents', async () => {
    const query = `${ARBITRARY} # ${Math.random()}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha(query) } };
    const miss = await post(server, { extensions });
    expect(miss.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(server, { query, extensions });
    expect(registered.data.posts.nodes).toHaveLength(1);
    await expect.poll(async () => (await post(server, { extensions })).data?.posts?.nodes?.length).toBe(1);
  });

  it('refuses a trusted document over the depth limit as it refuses the same text', async () => {
    const byId = await post(server, { documentId: sha(TOO_DEEP) });
    const byText = await post(server, { query: TOO_DEEP });
    expect(byText.status).toBe(400);
    expect(byId.status).toBe(byText.status);
    expect(byId.errors?.[0]?.extensions?.code).toBe(byText.errors?.[0]?.extensions?.code);
    expect(byId.data).toBeUndefined();
  });
});

describe('enforce mode', () => {
  let server: TestServer;
  const customId = 'web/TrustedTags@3';
  beforeAll(async () => {
    const file = writeManifest('enforce.json', {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: sha(POSTS), name: 'TrustedPosts', type: 'query', body: POSTS },
        { id: customId, name: 'TrustedTags', type: 'query', body: TAGS },
      ],
    });
    server = await startWith({ trustedDocuments: file, trustedDocumentsMode: 'enforce' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs documents of the manifest by id over POST and GET, custom ids too', async () => {
    const posts = await post(server, { documentId: sha(POSTS) });
    const tags = await get(server, { documentId: customId });
    expect(posts.data.posts.nodes).toHaveLength(3);
    expect(tags.data.tags.nodes).toHaveLength(2);
  });

  it('refuses a document sent as text over POST with PERSISTED_QUERY_NOT_ALLOWED, naming nothing of the server', async () => {
    for (const query of [ARBITRARY, POSTS]) {
      const result = await post(server, { query });
      expect(result.status).toBe(400);
      expect(result.data).toBeUndefined();
      expect(result.errors).toEqual([
        { message: 'Only trusted documents run here: send the "documentId" of one', extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' } },
      ]);
    }
  });

  it('refuses a document sent as text over GET', async () => {
    const result = await get(server, { query: ARBITRARY });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('refuses an APQ registration and answers an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha(ARBITRARY) } };
    const registration = await post(server, { query: ARBITRARY, extensions });
    const lookup = await post(server, { extensions });
    expect(registration.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(lookup.status).toBe(400);
    expect(lookup.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('answers an unknown documentId with PERSISTED_QUERY_NOT_FOUND', async () => {
    const result = await get(server, { documentId: 'web/Unknown@1' });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('with the response cache', () => {
  let server: TestServer;
  beforeAll(async () => {
    const file = writeManifest('cached.json', { [sha(POSTS)]: POSTS, [sha(TAGS)]: TAGS });
    server = await startWith({ trustedDocuments: file, trustedDocumentsMode: 'enforce' }, { responseCache: { enabled: true } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps the responses of different documentIds apart', async () => {
    const posts = await get(server, { documentId: sha(POSTS) });
    const tags = await get(server, { documentId: sha(TAGS) });
    expect(posts.data.posts.nodes).toHaveLength(3);
    expect(tags.data).toEqual({ tags: { nodes: expect.any(Array) } });
  });
});

// The real process (the bundle, as npm start runs it) over this file's Postgres database: start-up
// is where a manifest is checked. On PGlite a process would first seed a fresh embedded database.
describe.runIf(kind === 'postgres')('start-up', { timeout: 120_000 }, () => {
  const env = (manifest: string, extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.databaseUrl!,
    INKQL_TRUSTED_DOCUMENTS: manifest,
    INKQL_TRUSTED_DOCUMENTS_MODE: 'enforce',
    NODE_ENV: 'production',
    ...extra,
  });

  async function refusal(manifest: string, extra: Record<string, string> = {}) {
    const server = spawnServer(env(manifest, extra));
    const { code } = await server.exited;
    return { code, stderr: server.stderr() };
  }

  it('serves a manifest by id in production under enforce', async () => {
    const server = await startServerProcess(env(writeManifest('good.json', { [sha(POSTS)]: POSTS })));
    try {
      const byId = await post(server, { documentId: sha(POSTS) });
      const byText = await post(server, { query: POSTS });
      expect(byId.data.posts.nodes).toHaveLength(3);
      expect(byText.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('stops on a key that is not the hash of its document, naming the file and the entry', async () => {
    const file = writeManifest('wrong-hash.json', { [`sha256:${sha(TAGS)}`]: POSTS });
    const { code, stderr } = await refusal(file);
    expect(code).toBe(1);
    expect(stderr).toContain(`trusted documents manifest ${file}, entry "sha256:${sha(TAGS)}": is not the SHA-256 of its document`);
  });

  it('stops on a document that is not valid against the schema', async () => {
    const broken = 'query Broken { posts(first: 2) { nodes { headline } } }';
    const file = writeManifest('invalid.json', { [sha(broken)]: broken });
    const { code, stderr } = await refusal(file);
    expect(code).toBe(1);
    expect(stderr).toContain(`entry "${sha(broken)}": is not valid against the schema: Cannot query field "headline"`);
  });

  it('stops on a trusted document over the cost limit, priced with its defaults, naming it', async () => {
    const costly = 'query Costly($n: Int = 100) { posts(first: $n) { nodes { title tags { name } author { name } } } }';
    const file = writeManifest('costly.json', { [sha(costly)]: costly });
    const { code, stderr } = await refusal(file, { INKQL_MAX_COST: '150' });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`entry "${sha(costly)}": Costly is over the limits, so it could never run: Costly costs \\d+, over the maximum of 150`));
  });

  it('stops on a trusted document over the depth limit', async () => {
    const file = writeManifest('deep.json', { [sha(TOO_DEEP)]: TOO_DEEP });
    const { code, stderr } = await refusal(file, { INKQL_MAX_DEPTH: '5' });
    expect(code).toBe(1);
    expect(stderr).toContain(`entry "${sha(TOO_DEEP)}": TooDeep is over the limits`);
  });

  it('stops on a manifest that cannot be read', async () => {
    const file = join(dir, 'missing.json');
    const { code, stderr } = await refusal(file);
    expect(code).toBe(1);
    expect(stderr).toContain(`trusted documents manifest ${file}: cannot be read (ENOENT)`);
  });
});

describe('npm run documents -- extract', () => {
  const operations = join(tmpdir(), `inkql-extract-${process.pid}`);
  let manifestFile: string;
  let manifest: { format: string; version: number; operations: { id: string; name: string; type: string; body: string }[] };
  let server: TestServer | undefined;

  beforeAll(async () => {
    mkdirSync(join(operations, 'nested'), { recursive: true });
    writeFileSync(
      join(operations, 'posts.graphql'),
      '# the newest posts\nquery NewestPosts($n: Int = 2) { posts(first: $n) { nodes { ...PostTitle author { ...AuthorName } } } }\n',
    );
    writeFileSync(join(operations, 'nested', 'fragments.graphql'), 'fragment PostTitle on Post { title }\nfragment AuthorName on Author { name }\n');
    writeFileSync(join(operations, 'nested', 'tags.ts'), 'export const TAGS = /* GraphQL */ `query SomeTags { tags(first: 1) { nodes { name } } }`;\n');
    writeFileSync(join(operations, 'left-out.graphql'), 'query LeftOut { __typename }\n');
    manifestFile = join(operations, 'manifest.json');
    const extract = spawnProcess(['--import', 'tsx', 'src/main.ts', 'documents', 'extract', operations, '--out', manifestFile, '--exclude', 'left-out'], {
      env: { PATH: process.env.PATH ?? '' },
    });
    const { code } = await extract.exited;
    expect(code, extract.stderr()).toBe(0);
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    rmSync(operations, { recursive: true, force: true });
  });

  it('writes one entry per operation, with the fragments it spreads, printed and keyed by its SHA-256', () => {
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.operations.map((operation) => [operation.name, operation.type])).toEqual([
      ['SomeTags', 'query'],
      ['NewestPosts', 'query'],
    ]);
    const posts = manifest.operations.find((operation) => operation.name === 'NewestPosts')!;
    // Operation first, then its fragments by name, as Apollo's manifest generator prints them.
    expect(posts.body).toBe(
      print(parse('query NewestPosts($n: Int = 2) { posts(first: $n) { nodes { ...PostTitle author { ...AuthorName } } } } fragment AuthorName on Author { name } fragment PostTitle on Post { title }')),
    );
    for (const operation of manifest.operations) expect(operation.id).toBe(sha(operation.body));
  });

  it('builds a manifest the server serves in enforce mode, by id and by the hash of the printed body', async () => {
    server = await startWith({ trustedDocuments: manifestFile, trustedDocumentsMode: 'enforce' });
    const posts = manifest.operations.find((operation) => operation.name === 'NewestPosts')!;
    const byId = await post(server, { documentId: posts.id, variables: { n: 1 } });
    expect(byId.errors).toBeUndefined();
    expect(byId.data.posts.nodes).toEqual([{ title: expect.any(String), author: { name: expect.any(String) } }]);
    const tags = manifest.operations.find((operation) => operation.name === 'SomeTags')!;
    const byHash = await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: sha(tags.body) } } });
    expect(byHash.data.tags.nodes).toHaveLength(1);
  });
});
