import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { snapshotDatabase } from '../support/db-snapshot.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Hostile input, table-driven: each case is one raw HTTP request with the status and error code
// it must get. A request refused before execution must run no SQL (Server-Timing counts the
// statements of every request that reached GraphQL; a request refused by HTTP never did), and
// no case may change the database.

interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** The URL's query string, with its `?`. */
  readonly search?: string;
  /** Send all of the body but this many bytes (Content-Length says the whole), then wait. */
  readonly withhold?: number;
}

interface HostileCase {
  readonly name: string;
  readonly request: RawRequest;
  readonly status: number;
  /** The first error's extensions.code; null when the request must succeed without errors. */
  readonly code: string | null;
  /** Refused before execution: no SQL may run. */
  readonly refused: boolean;
  /** Served by a NODE_ENV=production server instead of the development one. */
  readonly production?: boolean;
  readonly check?: (body: any) => void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const post = (body: unknown, headers: Record<string, string> = JSON_HEADERS): RawRequest => ({
  method: 'POST',
  headers,
  body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
});
const op = (query: string, variables?: Record<string, unknown>, operationName?: string) => post({ query, variables, operationName });
const get = (params: Record<string, string>, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }): RawRequest => ({
  method: 'GET',
  search: `?${new URLSearchParams(params)}`,
  headers,
});

/** `{ authors { nodes { ... } } }` nesting exactly `depth` fields deep, through posts/nodes/author. */
const nest = (depth: number): string => {
  const inner = depth - 2;
  const bases = ['name', 'posts(first: 1) { totalCount }', 'posts(first: 1) { pageInfo { hasNextPage } }'];
  const wraps = Math.floor((inner - 1) / 3);
  let selection = bases[inner - 1 - wraps * 3]!;
  for (let i = 0; i < wraps; i++) selection = `posts(first: 1) { nodes { author { ${selection} } } }`;
  return `{ authors(first: 1) { nodes { ${selection} } } }`;
};
const repeat = (text: string, times: number, separator = ' ') => Array.from({ length: times }, () => text).join(separator);
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
const fanOut = (levels: number, spreads: number) =>
  `query { ...F0 } ` +
  Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ${repeat(`...F${i + 1}`, spreads)} }`).join(' ') +
  ` fragment F${levels} on Query { __typename }`;
const costlyFragments = `{ authors(first: 100) { nodes { ...A } } }
  fragment A on Author { posts(first: 100) { nodes { author { ...B } } } }
  fragment B on Author { posts(first: 100) { nodes { title } } }`;
const authorId = toGlobalId('Author', 1);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** A document of `bytes` bytes, nearly all of it one comment (no tokens). */
const padded = (bytes: number, query = '{ __typename }') => `# ${'x'.repeat(bytes - query.length - 3)}\n${query}`;
/** The hostile cases' servers time a request out after this long (the default is 10 s). */
const REQUEST_TIMEOUT_MS = 2000;
const cursor = (ordering: string, value: unknown, id: number) => Buffer.from(JSON.stringify([ordering, value, id])).toString('base64url');

const CASES: HostileCase[] = [
  // Depth
  { name: 'nesting 13 levels deep', request: op(nest(13)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true,
    check: (body) => expect(body.errors[0].extensions).toMatchObject({ limit: 'depth', maximum: 10, actual: 13 }) },
  { name: 'nesting 10 levels deep (the maximum)', request: op(nest(10)), status: 200, code: null, refused: false },
  { name: 'nesting hidden in fragments', request: op(`{ authors { nodes { ...A } } } fragment A on Author { posts { nodes { author { ...B } } } } fragment B on Author { posts { nodes { author { posts { nodes { author { name } } } } } } }`),
    status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  { name: 'introspection deeper than the depth limit', request: op(getIntrospectionQuery()), status: 200, code: null, refused: true },
  // Aliases, duplicates, tokens, directives
  { name: 'alias overload (16 aliases)', request: op(aliases(16)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true,
    check: (body) => expect(body.errors[0].extensions).toMatchObject({ limit: 'aliases', maximum: 15, actual: 16 }) },
  { name: '15 aliases (the maximum)', request: op(aliases(15)), status: 200, code: null, refused: true },
  { name: 'aliased stats 15 times', request: op(`{ ${Array.from({ length: 15 }, (_, i) => `s${i}: stats { postCount }`).join(' ')} }`), status: 200, code: null, refused: false },
  { name: 'field duplication ×2000', request: op(`{ stats { ${repeat('postCount', 2000)} } }`), status: 400, code: 'GRAPHQL_PARSE_FAILED', refused: true },
  { name: 'field duplication ×400 (merged, under the token limit)', request: op(`{ stats { ${repeat('postCount', 400)} } }`), status: 200, code: null, refused: false },
  { name: 'token flood', request: op(`{ ${repeat('__typename', 2500)} }`), status: 400, code: 'GRAPHQL_PARSE_FAILED', refused: true,
    check: (body) => expect(body.errors[0].message).toMatch(/Document contains more th\w+ 2000 tokens/) /* graphql-js spells it "more that" */ },
  { name: 'directive flood (60)', request: op(`{ ${repeat('__typename @skip(if: false)', 60)} }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true,
    check: (body) => expect(body.errors[0].extensions).toMatchObject({ limit: 'directives', maximum: 50, actual: 60 }) },
  { name: 'unknown directive', request: op(`{ stats @cached { postCount } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  // Fragments
  { name: 'fragment cycle', request: op(`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  { name: 'fragment spreading itself', request: op(`{ authors { nodes { ...A } } } fragment A on Author { posts { nodes { author { ...A } } } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  { name: 'fragment fan-out (3 spreads × 10 levels)', request: op(fanOut(10, 3)), status: 400, code: 'QUERY_TOO_COMPLEX', refused: true },
  { name: 'fragments multiplying connections', request: op(costlyFragments), status: 400, code: 'QUERY_TOO_COMPLEX', refused: true,
    check: (body) => expect(body.errors[0].extensions).toMatchObject({ cost: 2 + 100 * (1 + 2 + 100 * (1 + 1 + 2 + 100)), maximum: 1000 }) },
  { name: 'unused fragment', request: op(`{ __typename } fragment A on Query { __typename }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  // Page sizes and cost
  { name: 'huge first', request: op(`{ posts(first: 1000000) { nodes { title } } }`), status: 400, code: 'QUERY_TOO_COMPLEX', refused: true },
  { name: 'first beyond Int', request: op(`{ posts(first: 99999999999) { nodes { title } } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  { name: 'first of 101 on a cheap selection', request: op(`{ posts(first: 101) { totalCount } }`), status: 200, code: 'BAD_USER_INPUT', refused: true,
    check: (body) => expect(body.errors[0].message).toBe('Argument "first" must be between 0 and 100, got 101') },
  { name: 'negative first', request: op(`{ posts(first: -1) { nodes { title } } }`), status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'negative last on a child connection', request: op(`{ authors(first: 2) { nodes { posts(last: -3) { nodes { title } } } } }`), status: 200, code: 'BAD_USER_INPUT', refused: false },
  { name: 'first and last together', request: op(`{ posts(first: 1, last: 1) { nodes { title } } }`), status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'variables that push the cost over', request: op(`query ($n: Int) { posts(first: $n) { nodes { author { posts(first: $n) { nodes { title } } } } } }`, { n: 100 }),
    status: 400, code: 'QUERY_TOO_COMPLEX', refused: true },
  { name: 'the same query with small variables', request: op(`query ($n: Int) { posts(first: $n) { nodes { author { posts(first: $n) { nodes { title } } } } } }`, { n: 5 }),
    status: 200, code: null, refused: false },
  { name: 'nodes() with 1500 ids', request: op(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 1500 }, (_, i) => toGlobalId('Post', i + 1)) }),
    status: 400, code: 'QUERY_TOO_COMPLEX', refused: true },
  { name: 'nodes() with 101 ids', request: op(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, (_, i) => toGlobalId('Post', i + 1)) }),
    status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'topTags limit that prices over', request: op(`{ stats { topTags(limit: 1000) { count tag { name } } } }`), status: 400, code: 'QUERY_TOO_COMPLEX', refused: true },
  { name: 'topTags limit of 0', request: op(`{ stats { topTags(limit: 0) { count } } }`), status: 200, code: 'BAD_USER_INPUT', refused: false },
  { name: 'excerpt of a million words', request: op(`{ posts(first: 1) { nodes { excerpt(words: 1000000) } } }`), status: 200, code: 'BAD_USER_INPUT', refused: false },
  { name: 'tag name of 100,000 characters', request: op(`query ($name: String!) { tag(name: $name) { id } }`, { name: 'x'.repeat(100_000) }), status: 200, code: null, refused: false,
    check: (body) => expect(body.data).toEqual({ tag: null }) },
  // Malformed IDs, cursors, variables
  { name: 'malformed ID', request: op(`{ post(id: "not-an-id") { title } }`), status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'ID of another type', request: op(`query ($id: ID!) { post(id: $id) { title } }`, { id: authorId }), status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'forged ID (base64 of SQL)', request: op(`query ($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from("Post:1' OR '1'='1").toString('base64') }), status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'one bad ID among many', request: op(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [toGlobalId('Post', 1), '%%%'] }), status: 200, code: 'BAD_USER_INPUT', refused: false,
    check: (body) => expect(body.data.nodes).toEqual([{ id: toGlobalId('Post', 1) }, null]) },
  { name: 'malformed cursor', request: op(`{ posts(after: "garbage") { nodes { title } } }`), status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'cursor of a JSON bomb', request: op(`query ($c: String) { posts(after: $c) { nodes { title } } }`, { c: Buffer.from('['.repeat(5000)).toString('base64url') }),
    status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'cursor with a date only V8 accepts', request: op(`query ($c: String) { posts(after: $c) { nodes { title } } }`, { c: cursor('CREATED_AT', 'March 7', 1) }),
    status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'cursor with February 30', request: op(`query ($c: String) { posts(after: $c) { nodes { title } } }`, { c: cursor('CREATED_AT', '2024-02-30T00:00:00.000Z', 1) }),
    status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'cursor with an id beyond int', request: op(`query ($c: String) { posts(after: $c) { nodes { title } } }`, { c: cursor('CREATED_AT', '2024-01-01T00:00:00.000Z', 2 ** 40) }),
    status: 200, code: 'BAD_USER_INPUT', refused: true },
  { name: 'variable of the wrong type', request: op(`query ($n: Int) { posts(first: $n) { nodes { title } } }`, { n: 'ten' }), status: 400, code: 'BAD_USER_INPUT', refused: true },
  { name: 'missing required variable', request: op(`query ($id: ID!) { post(id: $id) { title } }`), status: 400, code: 'BAD_USER_INPUT', refused: true },
  { name: 'variables that are not an object', request: post({ query: '{ __typename }', variables: 'x' }), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'unknown enum value in an input', request: op(`{ posts(orderBy: { field: DROP_TABLE }) { nodes { title } } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  // Malformed requests
  { name: 'malformed JSON', request: post('{"query": "{ __typename }"'), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'JSON that is not an object', request: post('"{ __typename }"'), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'no query', request: post({ variables: {} }), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'query that is not a string', request: post({ query: 42 }), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'syntax error', request: op(`{ posts { nodes { title }`), status: 400, code: 'GRAPHQL_PARSE_FAILED', refused: true },
  { name: 'batch array', request: post([{ query: '{ __typename }' }, { query: '{ stats { postCount } }' }]), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'empty batch array', request: post([]), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'unknown operation name', request: op(`query A { __typename }`, undefined, 'B'), status: 400, code: 'OPERATION_RESOLUTION_FAILURE', refused: true },
  { name: 'two operations and no name', request: op(`query A { __typename } query B { stats { postCount } }`), status: 400, code: 'OPERATION_RESOLUTION_FAILURE', refused: true },
  { name: 'invalid UTF-8 in a JSON body', request: post(Buffer.concat([Buffer.from('{"query":"{ stats { postCount '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' } }"}')])),
    status: 400, code: 'GRAPHQL_PARSE_FAILED', refused: true },
  { name: 'invalid UTF-8 in a GET query string', request: { method: 'GET', search: '?query=%7B%20stats%20%7B%20postCount%20%FF%20%7D%20%7D', headers: { 'apollo-require-preflight': 'true' } },
    status: 400, code: 'GRAPHQL_PARSE_FAILED', refused: true },
  { name: 'NUL byte in the query', request: op('{ stats { postCount\u0000 } }'), status: 400, code: 'GRAPHQL_PARSE_FAILED', refused: true },
  { name: 'document padded with a comment past 64 KiB', request: op(padded(64 * 1024 + 1)), status: 413, code: 'DOCUMENT_TOO_LARGE', refused: true,
    check: (body) => expect(body.errors[0].message).toBe('The document is 65537 bytes, over the maximum of 65536 (comments included)') },
  { name: 'document padded with a comment to 900 KB (under the body limit)', request: op(padded(900_000)), status: 413, code: 'DOCUMENT_TOO_LARGE', refused: true },
  { name: 'document of 64 KiB (the maximum)', request: op(padded(64 * 1024)), status: 200, code: null, refused: true },
  { name: 'document over 64 KiB in multi-byte characters', request: op(`# ${'é'.repeat(33_000)}\n{ __typename }`), status: 413, code: 'DOCUMENT_TOO_LARGE', refused: true },
  { name: 'persisted-query registration of a 900 KB document', request: post({ query: padded(900_000), extensions: { persistedQuery: { version: 1, sha256Hash: sha256(padded(900_000)) } } }),
    status: 413, code: 'DOCUMENT_TOO_LARGE', refused: true },
  { name: 'GET query string over the header limit', request: get({ query: padded(20_000) }), status: 431, code: 'BAD_REQUEST', refused: true },
  { name: 'body stalled 40 bytes short', request: { ...op(`{ __typename } # ${'x'.repeat(100_000)}`), withhold: 40 }, status: 408, code: 'REQUEST_TIMEOUT', refused: true,
    check: (body) => expect(body.errors[0].message).toBe(`The request did not arrive within ${REQUEST_TIMEOUT_MS} ms`) },
  { name: 'subscription operation', request: op(`subscription { stats { postCount } }`), status: 400, code: 'OPERATION_NOT_SUPPORTED', refused: true },
  { name: 'persisted query whose hash does not match its query',
    request: post({ query: '{ stats { postCount } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    status: 400, code: 'PERSISTED_QUERY_HASH_MISMATCH', refused: true },
  { name: 'oversized body (1.5 MB)', request: op(`{ __typename } # ${'x'.repeat(1_500_000)}`), status: 413, code: 'PAYLOAD_TOO_LARGE', refused: true },
  // Content types and CSRF
  { name: 'unsupported content type', request: post({ query: '{ __typename }' }, { 'content-type': 'application/xml' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', refused: true },
  { name: 'CSRF simple request: text/plain', request: post({ query: '{ stats { postCount } }' }, { 'content-type': 'text/plain' }), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'CSRF simple request: form-urlencoded', request: post('query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', refused: true },
  { name: 'CSRF simple request: multipart', request: post('--x\r\n\r\n{}\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', refused: true },
  { name: 'CSRF simple GET without a preflight header', request: get({ query: '{ stats { postCount } }' }, {}), status: 400, code: 'BAD_REQUEST', refused: true },
  { name: 'GET with a preflight header', request: get({ query: '{ stats { postCount } }' }), status: 200, code: null, refused: false },
  { name: 'GET mutation', request: get({ query: 'mutation { deletePost(id: "UG9zdDox") { deletedId } }' }), status: 405, code: 'METHOD_NOT_ALLOWED', refused: true },
  { name: 'PUT', request: { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify({ query: '{ __typename }' }) }, status: 405, code: 'METHOD_NOT_ALLOWED', refused: true },
  // Production posture
  { name: 'introspection in production', production: true, request: op(`{ __schema { types { name } } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true },
  { name: 'no field suggestions in production', production: true, request: op(`{ post { titl } }`), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', refused: true,
    check: (body) => expect(body.errors.map((e: any) => e.message).join('\n')).not.toMatch(/Did you mean/) },
  { name: '__typename in production', production: true, request: op(`{ __typename }`), status: 200, code: null, refused: true },
  { name: 'cost refusal in production', production: true, request: op(`{ posts(first: 100) { nodes { author { posts(first: 100) { nodes { title } } } } } }`), status: 400, code: 'QUERY_TOO_COMPLEX', refused: true,
    check: (body) => expect(JSON.stringify(body)).not.toMatch(/stacktrace|at \w+ \(/) },
];

const DEBUG_TOKEN = 'hostile-input-debug-token';

let database: TestDatabase;
let development: TestServer;
let production: TestServer;
let rowsBefore: Record<string, number>;

async function countRows(): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, string | number>>`
    select (select count(*) from posts) as posts, (select count(*) from authors) as authors,
           (select count(*) from tags) as tags, (select count(*) from post_tags) as post_tags`.execute(database.handle.db);
  return Object.fromEntries(Object.entries(rows[0]!).map(([table, count]) => [table, Number(count)]));
}

async function send(server: TestServer, request: RawRequest): Promise<Response> {
  if (request.withhold !== undefined) return sendStalled(server.url, request);
  return fetch(server.url + (request.search ?? ''), {
    method: request.method ?? 'POST',
    // In production Server-Timing counts statements only for the holder of the debug token.
    headers: { 'x-inkql-trace': '1', ...(server === production ? { 'x-inkql-debug-token': DEBUG_TOKEN } : {}), ...request.headers },
    body: request.body instanceof Uint8Array ? new Blob([request.body as Uint8Array<ArrayBuffer>]) : request.body,
  });
}

/** Writes the request on a raw socket, all but `withhold` bytes of its body, and reads what comes back until the server closes. */
function sendStalled(url: string, request: RawRequest): Promise<Response> {
  const { hostname, port, pathname } = new URL(url);
  const body = Buffer.from(request.body as string);
  const head = [`${request.method ?? 'POST'} ${pathname} HTTP/1.1`, `host: ${hostname}:${port}`, `content-length: ${body.length}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) head.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      const text = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      resolve(new Response(text, { status }));
    });
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    socket.write(body.subarray(0, body.length - request.withhold!));
  });
}

/** Statements the request ran, from Server-Timing; undefined when GraphQL never saw the request. */
function sqlCountOf(response: Response): number | undefined {
  const timing = response.headers.get('server-timing');
  if (!timing) return undefined;
  const match = /desc="(\d+) queries"/.exec(timing);
  if (!match) throw new Error(`unreadable Server-Timing: ${timing}`);
  return Number(match[1]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  development = await startTestServer(database, { http: { requestTimeoutMs: REQUEST_TIMEOUT_MS } });
  production = await startTestServer(database, {
    nodeEnv: 'production',
    http: { requestTimeoutMs: REQUEST_TIMEOUT_MS },
    limits: { introspection: false },
    trace: { debugToken: DEBUG_TOKEN },
  });
  rowsBefore = await countRows();
});

afterAll(async () => {
  await development?.close();
  await production?.close();
  await database?.close();
});

it('has at least 40 cases', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
});

describe('hostile input', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const response = await send(hostile.production ? production : development, hostile.request);
    const text = await response.text();
    let body: any;
    expect(() => (body = JSON.parse(text)), `a JSON body, got: ${text.slice(0, 200)}`).not.toThrow();
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code ?? null }, text.slice(0, 500)).toEqual({
      status: hostile.status,
      code: hostile.code,
    });
    expect(response.status).not.toBe(500);
    if (hostile.refused) {
      expect(sqlCountOf(response) ?? 0, 'no SQL may run for a refused request').toBe(0);
      if (body.extensions?.trace) expect(body.extensions.trace.sql.count).toBe(0);
    }
    hostile.check?.(body);
    expect(await countRows()).toEqual(rowsBefore);
    const server = hostile.production ? production : development;
    expect((await fetch(server.url.replace(/\/graphql$/, '/healthz'))).status, 'the server still answers').toBe(200);
  });
});

// Mutations: hostile input and bad tokens. Each must be refused with its code and write nothing
// (the token lookup itself runs SQL, so "no SQL" is not asserted here).
interface MutationCase {
  readonly name: string;
  readonly request: (tokens: { own: string; othersPost: string }) => RawRequest;
  readonly status: number;
  readonly code: string;
}

const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { id } } }`;
const DELETE = `mutation ($id: ID!) { deletePost(id: $id) { deletedId } }`;
const validInput = { title: 'A title', body: 'A body.', tags: ['graphql'] };
const bearer = (token: string) => ({ ...JSON_HEADERS, authorization: `Bearer ${token}` });
const create = (input: Record<string, unknown>) => ({ own }: { own: string }) =>
  post({ query: CREATE, variables: { input: { ...validInput, ...input } } }, bearer(own));

const MUTATION_CASES: MutationCase[] = [
  { name: 'createPost without a token', request: () => op(CREATE, { input: validInput }), status: 200, code: 'UNAUTHENTICATED' },
  { name: 'createPost with a forged token', request: () => post({ query: CREATE, variables: { input: validInput } }, bearer('inkql_forged')), status: 200, code: 'UNAUTHENTICATED' },
  { name: 'createPost with a Basic authorization', request: () => post({ query: CREATE, variables: { input: validInput } }, { ...JSON_HEADERS, authorization: 'Basic dXNlcjpwYXNz' }), status: 200, code: 'UNAUTHENTICATED' },
  { name: "updatePost of another author's post", request: ({ own, othersPost }) => post({ query: UPDATE, variables: { input: { id: othersPost, title: 'Mine now' } } }, bearer(own)), status: 200, code: 'FORBIDDEN' },
  { name: "deletePost of another author's post", request: ({ own, othersPost }) => post({ query: DELETE, variables: { id: othersPost } }, bearer(own)), status: 200, code: 'FORBIDDEN' },
  { name: 'deletePost of an unknown post', request: ({ own }) => post({ query: DELETE, variables: { id: toGlobalId('Post', 999_999) } }, bearer(own)), status: 200, code: 'NOT_FOUND' },
  { name: 'deletePost with a malformed ID', request: ({ own }) => post({ query: DELETE, variables: { id: 'not-an-id' } }, bearer(own)), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'updatePost with an Author ID', request: ({ own }) => post({ query: UPDATE, variables: { input: { id: toGlobalId('Author', 1), title: 'x' } } }, bearer(own)), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with an empty title', request: create({ title: '' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with a 201-character title', request: create({ title: 'x'.repeat(201) }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with a 100,001-character body', request: create({ body: 'x'.repeat(100_001) }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with 11 tags', request: create({ tags: Array.from({ length: 11 }, (_, i) => `tag-${i}`) }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with a tag name out of pattern', request: create({ tags: ['Bad Tag!'] }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with a NUL in the title', request: create({ title: 'Nul\u0000title' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost with a NUL in the body', request: create({ body: 'A body\u0000with a NUL.' }), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'updatePost with a NUL in the body', request: ({ own }) => post({ query: UPDATE, variables: { input: { id: toGlobalId('Post', 1), body: '\u0000' } } }, bearer(own)), status: 200, code: 'BAD_USER_INPUT' },
  { name: 'createPost without a body (variable coercion)', request: ({ own }) => post({ query: CREATE, variables: { input: { title: 'x' } } }, bearer(own)), status: 400, code: 'BAD_USER_INPUT' },
];

describe('hostile mutations', () => {
  let tokens: { own: string; othersPost: string };
  beforeAll(async () => {
    const { rows } = await sql<{ id: number }>`select id from posts where author_id <> 1 order by id limit 1`.execute(database.handle.db);
    tokens = { own: await issueApiToken(database.handle.db, 1), othersPost: toGlobalId('Post', rows[0]!.id) };
  });

  it.each(MUTATION_CASES.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const before = await snapshotDatabase(database.handle.db);
    const response = await send(development, hostile.request(tokens));
    const body = JSON.parse(await response.text());
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code ?? null }).toEqual({ status: hostile.status, code: hostile.code });
    expect(body.data?.createPost ?? body.data?.updatePost ?? body.data?.deletePost ?? null).toBeNull();
    // Every row as it was, not only the counts: a refused update must not have touched its post.
    expect(await snapshotDatabase(database.handle.db)).toEqual(before);
  });
});
