import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, issueApiToken } from '../../src/auth/api-token.ts';
import { RequestTrace } from '../../src/trace/request-trace.ts';
import { createSqlScopePlugin, withFieldScope } from '../../src/trace/field-scope.ts';
import { createTestDatabase, startTestServer, type GraphQLResult, type TestDatabase, type TestServer } from '../support/index.ts';

// What `extensions.trace` and `Server-Timing` tell a developer.

const POSTS_PAGE = /* GraphQL */ `
  query PostsPage($first: Int!) { posts(first: $first) { nodes { title author { name } tags { name } } } }`;

// Posts that come one by one (not as a page that reads their authors and tags along), so that
// Post.author and Post.tags run loader batches.
const POST_NODES = /* GraphQL */ `
  query PostNodes($ids: [ID!]!) { nodes(ids: $ids) { ... on Post { title author { name } tags { name } } } }`;
const POST_IDS = Array.from({ length: 20 }, (_, i) => Buffer.from(`Post:${i + 1}`).toString('base64'));

const DEBUG_TOKEN = 'trace-test-token';

let database: TestDatabase;
let dev: TestServer;
let production: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  dev = await startTestServer(database);
  production = await startTestServer(database, { nodeEnv: 'production', trace: { debugToken: DEBUG_TOKEN } });
});

afterAll(async () => {
  await dev?.close();
  await production?.close();
  await database?.close();
});

/** Server-Timing as { name: { dur, desc } }. */
function parseServerTiming(result: GraphQLResult): Record<string, any> {
  const header = result.headers.get('server-timing') ?? '';
  const entries: Record<string, { dur: number; desc?: string }> = {};
  for (const part of header.split(/,\s*/)) {
    const [name = '', ...params] = part.split(';');
    const dur = params.find((p) => p.startsWith('dur='));
    const desc = params.find((p) => p.startsWith('desc='));
    entries[name] = { dur: Number(dur?.slice(4)), ...(desc ? { desc: JSON.parse(desc.slice(5)) } : {}) };
  }
  return entries;
}

describe('extensions.trace', () => {
  it('has every section of the contract', async () => {
    // A document Apollo has not seen yet, so that it is parsed and validated (and timed) afresh.
    const { trace } = await dev.execute(`${POSTS_PAGE} # ${Math.random()}`, { first: 20 });
    expect(Object.keys(trace).sort()).toEqual(['cache', 'cost', 'durationMs', 'loaders', 'nPlusOne', 'operationName', 'phases', 'resolvers', 'sql'].sort());
    expect(trace.operationName).toBe('PostsPage');
    expect(trace.sql).toMatchObject({ count: 1, similarCount: 0, duplicateCount: 0 });
    expect(trace.nPlusOne).toEqual([]);
    expect(trace.cache).toEqual({ backend: 'memory', hits: 0, misses: 0, families: {} });
    // The page reads its authors and tags along: no loader runs.
    expect(trace.loaders).toEqual({});
    for (const phase of ['parseMs', 'validateMs', 'executeMs'] as const) expect(trace.phases[phase]).toBeGreaterThanOrEqual(0);
    expect(trace.durationMs).toBeGreaterThanOrEqual(trace.phases.executeMs!);
  });

  it('attributes each statement to the field, path and loader that issued it', async () => {
    const { trace } = await dev.execute(POST_NODES, { ids: POST_IDS });
    // Statements are recorded as they finish, and the author and tag batches run concurrently.
    const byField = [...trace.sql.statements].sort((a: any, b: any) => a.field.localeCompare(b.field));
    expect(byField.map(({ field, path, loader, params, rows }: any) => ({ field, path, loader, params, rows }))).toEqual([
      { field: 'Post.author', path: 'nodes.0.author', loader: 'authorById', params: 1, rows: expect.any(Number) },
      { field: 'Post.tags', path: 'nodes.0.tags', loader: 'tagsByPostId', params: 1, rows: expect.any(Number) },
      { field: 'Query.nodes', path: 'nodes', loader: 'postById', params: 1, rows: 20 },
    ]);
    for (const s of trace.sql.statements) {
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
      expect(s.startOffsetMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('files a page that reads its authors and tags along under its own field, with no loader', async () => {
    const { trace } = await dev.execute(POSTS_PAGE, { first: 20 });
    expect(trace.sql.statements.map(({ field, path, loader, rows }: any) => ({ field, path, loader, rows }))).toEqual([
      { field: 'Query.posts', path: 'posts', loader: undefined, rows: 21 },
    ]);
  });

  it('counts loads, batches, the largest batch and memo hits per loader', async () => {
    const { data, trace } = await dev.execute(POST_NODES, { ids: POST_IDS });
    const distinctAuthors = new Set(data.nodes.map((p: any) => p.author.name)).size;
    expect(trace.loaders.authorById).toEqual({ loads: 20, batches: 1, maxBatch: distinctAuthors, cacheHits: 20 - distinctAuthors });
    expect(trace.loaders.tagsByPostId).toEqual({ loads: 20, batches: 1, maxBatch: 20, cacheHits: 0 });
  });

  it('counts no load for the authors and tags a page read along', async () => {
    const { data, trace } = await dev.execute(POSTS_PAGE, { first: 20 });
    expect(data.posts.nodes.every((post: any) => post.author.name && Array.isArray(post.tags))).toBe(true);
    expect(trace.loaders.authorById).toBeUndefined();
    expect(trace.loaders.tagsByPostId).toBeUndefined();
  });

  it('counts one batch per load in naive mode', async () => {
    const { trace } = await dev.execute(POSTS_PAGE, { first: 20 }, { headers: { 'x-inkql-batching': 'off' } });
    expect(trace.loaders.authorById).toEqual({ loads: 20, batches: 20, maxBatch: 1, cacheHits: 0 });
    expect(trace.nPlusOne.map((g: any) => [g.field, g.count])).toEqual([['Post.author', 20], ['Post.tags', 20]]);
  });

  it('times every resolved field, default resolvers included, at the resolvers level', async () => {
    const { trace } = await dev.execute(`{ posts(first: 2) { nodes { title } } }`, undefined, { headers: { 'x-inkql-trace': 'resolvers' } });
    expect(trace.resolvers.map(({ path, field }: any) => ({ path, field })).sort((a: any, b: any) => a.path.localeCompare(b.path))).toEqual([
      { path: 'posts', field: 'Query.posts' },
      { path: 'posts.nodes', field: 'PostConnection.nodes' },
      { path: 'posts.nodes.0.title', field: 'Post.title' },
      { path: 'posts.nodes.1.title', field: 'Post.title' },
    ]);
    for (const r of trace.resolvers) {
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
      expect(r.startOffsetMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('times root fields and fields with resolvers, not plain reads of the parent (objects included), at level 1', async () => {
    const { trace } = await dev.execute(`{ posts(first: 2) { nodes { title wordCount author { name } } } }`);
    const timed = new Set(trace.resolvers.map((r) => r.field));
    expect([...timed].sort()).toEqual(['Post.author', 'Post.wordCount', 'Query.posts']);
    expect(trace.resolvers.filter((r) => r.field === 'Post.author').map((r) => r.path).sort()).toEqual(['posts.nodes.0.author', 'posts.nodes.1.author']);
  });

  it('attributes a connection totalCount (a method behind the default resolver) to its field', async () => {
    const { trace } = await dev.execute(`{ authors(first: 3) { nodes { posts(first: 1) { totalCount } } } }`);
    expect(trace.sql.statements.map((s: any) => s.field).sort()).toEqual(['Author.posts', 'PostConnection.totalCount', 'Query.authors']);
  });

  it('names duplicate statements when the memo is off', async () => {
    const { trace } = await dev.execute(`{ a: post(id: "UG9zdDox") { title } b: post(id: "UG9zdDox") { title } }`, undefined, {
      headers: { 'x-inkql-batching': 'off' },
    });
    expect(trace.sql).toMatchObject({ count: 2, similarCount: 1, duplicateCount: 1 });
    expect(trace.nPlusOne).toEqual([]);
  });
});

describe('statements outside the GraphQL flow', () => {
  it('gives a transaction\'s begin and commit to the request whose statements run inside it', async () => {
    const trace = new RequestTrace(performance.now());
    const db = database.handle.db.withPlugin(createSqlScopePlugin(trace));
    await db.transaction().execute((trx) =>
      // The callback runs after `begin` was awaited: its statements name their field themselves.
      withFieldScope(trace, { field: 'Mutation.createPost' }, () => trx.selectFrom('posts').select('id').limit(1).execute()),
    );
    const select = ['select', 'Mutation.createPost'];
    // PGlite runs a transaction's begin and commit itself, out of Kysely's (and the trace's) sight.
    expect(trace.statements.map((s) => [s.sql.split(' ')[0], s.field])).toEqual(
      database.handle.kind === 'postgres' ? [['begin', 'Mutation.createPost'], select, ['commit', 'Mutation.createPost']] : [select],
    );
  });
});

describe('who sees the trace', () => {
  it('is shown in development', async () => {
    expect((await dev.execute(POSTS_PAGE, { first: 1 })).trace).toBeDefined();
  });

  it('is not shown without X-Inkql-Trace: 1', async () => {
    expect((await dev.execute(POSTS_PAGE, { first: 1 }, { trace: false })).extensions?.trace).toBeUndefined();
  });

  it('ignores the trace, batching and explain headers in production without the debug token', async () => {
    const result = await production.execute(POSTS_PAGE, { first: 10 }, { headers: { 'x-inkql-batching': 'off', 'x-inkql-explain': '1' } });
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.trace).toBeUndefined();
    // Nor does Server-Timing count the statements for it.
    expect(Object.keys(parseServerTiming(result))).toEqual(['total']);
  });

  it('is shown in production to the holder of the debug token, who may also switch batching off', async () => {
    const result = await production.execute(POSTS_PAGE, { first: 10 }, {
      headers: { 'x-inkql-debug-token': DEBUG_TOKEN, 'x-inkql-batching': 'off' },
    });
    expect(result.trace.sql.count).toBe(1 + 2 * 10);
  });

  it('rejects a wrong debug token', async () => {
    const result = await production.execute(POSTS_PAGE, { first: 1 }, { headers: { 'x-inkql-debug-token': 'wrong' } });
    expect(result.extensions?.trace).toBeUndefined();
  });
});

describe('Server-Timing', () => {
  it('is on every response, traced or not', async () => {
    const result = await dev.execute(POSTS_PAGE, { first: 5 }, { trace: false });
    expect(result.headers.get('server-timing')).toMatch(/^sql;dur=[\d.]+;desc="1 queries", resolve;dur=[\d.]+, total;dur=[\d.]+$/);
  });

  it('reports the same SQL time as the trace, the sum of its statements', async () => {
    const result = await dev.execute(POSTS_PAGE, { first: 20 }, { headers: { 'x-inkql-batching': 'off' } });
    const timing = parseServerTiming(result);
    expect(timing.sql.dur).toBe(result.trace.sql.durationMs);
    expect(timing.sql.desc).toBe(`${result.trace.sql.count} queries`);
    const sum = result.trace.sql.statements.reduce((total: number, s: any) => total + s.durationMs, 0);
    // Each statement is rounded to 0.001 ms on its own.
    expect(Math.abs(sum - timing.sql.dur)).toBeLessThanOrEqual(0.001 * result.trace.sql.count);
    expect(timing.resolve.dur).toBe(result.trace.phases.executeMs);
    expect(timing.total.dur).toBeGreaterThanOrEqual(timing.resolve.dur);
  });
});

describe('EXPLAIN on demand', () => {
  it('adds a JSON plan to each SELECT without counting it as a statement', async () => {
    const result = await dev.execute(POSTS_PAGE, { first: 5 }, { headers: { 'x-inkql-explain': '1' } });
    expect(result.trace.sql.count).toBe(1);
    expect(parseServerTiming(result).sql.desc).toBe('1 queries');
    for (const s of result.trace.sql.statements) {
      // EXPLAIN's JSON is Postgres's format, not the trace's: read as it comes.
      const plan = s.plan as any;
      expect(plan?.[0]?.Plan?.['Node Type'], JSON.stringify(s.plan)).toEqual(expect.any(String));
      expect(plan[0].Plan['Actual Total Time']).toBeUndefined();
    }
  });

  it('runs EXPLAIN ANALYZE only when asked for', async () => {
    const result = await dev.execute(POSTS_PAGE, { first: 5 }, { headers: { 'x-inkql-explain': 'analyze' } });
    expect(result.trace.sql.count).toBe(1);
    for (const s of result.trace.sql.statements) expect((s.plan as any)[0].Plan['Actual Total Time']).toEqual(expect.any(Number));
  });

  it("never shows the caller's parameters, such as the hash of their API token", async () => {
    const token = await issueApiToken(database.handle.db, 1);
    const tagName = 'explain-private-tag';
    const result = await dev.execute(
      `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } } `,
      { input: { title: 'Explained', body: 'Plans without secrets.', tags: [tagName] } },
      { headers: { authorization: `Bearer ${token}`, 'x-inkql-explain': 'analyze' } },
    );
    expect(result.errors).toBeUndefined();
    const lookup = result.trace.sql.statements.find((s) => /from "api_tokens"/.test(s.sql));
    expect((lookup?.plan as any)?.[0]?.Plan, JSON.stringify(lookup)).toBeDefined();
    expect(JSON.stringify(lookup!.plan)).toContain('$1');
    const shown = JSON.stringify(result);
    expect(shown).not.toContain(hashToken(token));
    expect(shown).not.toContain(token);
  });

  it('adds no plan without the header', async () => {
    const result = await dev.execute(POSTS_PAGE, { first: 5 });
    for (const s of result.trace.sql.statements) expect(s.plan).toBeUndefined();
  });
});

describe('SQL comments', () => {
  it('tag each statement with the operation name and the field path, without list indices', async () => {
    const { trace } = await dev.execute(POSTS_PAGE, { first: 5 }, { headers: { 'x-inkql-batching': 'off' } });
    expect(new Set(trace.sql.statements.map((s: any) => s.comment))).toEqual(
      new Set([
        "/*operation='PostsPage',path='posts'*/",
        "/*operation='PostsPage',path='posts.nodes.author'*/",
        "/*operation='PostsPage',path='posts.nodes.tags'*/",
      ]),
    );
  });

  it('keep the set of statement texts the same whatever the rows, the page size being the one number in a page', async () => {
    // A page's limit is in its text, so that Postgres plans the named statement once.
    const texts = async (first: number, headers?: Record<string, string>) => {
      const { trace } = await dev.execute(POSTS_PAGE, { first }, { headers });
      return new Set(trace.sql.statements.map((s: any) => `${s.sql.replace(/\blimit \d+\b/, 'limit N')} ${s.comment}`));
    };
    expect(await texts(50)).toEqual(await texts(3));
    expect(await texts(20, { 'x-inkql-batching': 'off' })).toEqual(await texts(3, { 'x-inkql-batching': 'off' }));
  });
});
