import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TraceWire } from '../../src/trace/trace-format.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { createPgStatementCounter, type PgStatementCounter } from '../support/pg-statement-counter.ts';
import { type StartedServer, startServerProcess } from '../support/server-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// OpenTelemetry against a real OTLP/HTTP receiver, from real server processes: for the queries of
// the SQL-count table (README) and a naive-mode query, the spans agree with the request's own trace
// (`X-Inkql-Trace: 1`) and with what Postgres was sent (counted on the wire, through a TCP proxy).
// The servers are stopped before the spans are read: their last spans are sent at shutdown.

const SQL_COUNT_TABLE: { name: string; query: string; statements: number }[] = [
  { name: 'posts with authors and tags', query: `{ posts(first: 100) { nodes { title author { name } tags { name } } } }`, statements: 1 },
  { name: 'authors with posts', query: `{ authors(first: 10) { nodes { name posts(first: 10) { edges { node { title tags { name } } } } } } }`, statements: 2 },
  {
    name: 'authors with posts and totals',
    query: `{ authors(first: 10) { totalCount nodes { name posts(first: 10) { totalCount edges { node { title tags { name } } } } } } }`,
    statements: 4,
  },
  { name: 'tags with posts', query: `{ tags(first: 10) { nodes { postCount posts(first: 5) { totalCount nodes { author { name } } } } } }`, statements: 3 },
  { name: 'stats uncached', query: `{ stats { postCount authorCount tagCount totalWords topTags { count tag { name } } } }`, statements: 1 },
  { name: 'stats cached', query: `{ stats { postCount authorCount tagCount totalWords topTags { count tag { name } } } }`, statements: 0 },
  { name: 'author post counts, cold cache', query: `{ posts(first: 100) { nodes { author { postCount } } } }`, statements: 2 },
];
const NAIVE = { name: 'posts with authors and tags, INKQL_BATCHING=off', query: `{ posts(first: 20) { nodes { title author { name } tags { name } } } }`, statements: 41 };

/** One select, which runs as a prepared statement. */
const PREPARED_QUERY = `{ posts(first: 5) { nodes { title author { name } } } }`;
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

interface Answered {
  readonly name: string;
  readonly traceId: string;
  readonly serverSpanId: string;
  readonly trace: TraceWire;
  readonly wireStatements: number;
  readonly expectedStatements: number;
}

const isField = (span: ReceivedSpan) => span.name.startsWith('resolve ');
const isBatch = (span: ReceivedSpan) => span.name.startsWith('dataloader.batch ');
const isSql = (span: ReceivedSpan) => span.attributes['db.system.name'] === 'postgresql';

describe.runIf(inject('database') === 'postgres')('OpenTelemetry spans', () => {
  let database: TestDatabase;
  let counter: PgStatementCounter;
  let proxy: TcpProxy;
  let receiver: OtlpReceiver;
  let batched: StartedServer;
  let naive: StartedServer;
  const answered: Answered[] = [];
  const callerRequests: {
    traceId: string;
    serverSpanId: string;
    flags: string | undefined;
    comments: string[];
    namedParses: number;
    unnamedParses: number;
    wireStatements: number;
  }[] = [];

  const post = async (server: StartedServer, query: string, headers: Record<string, string> = {}) => {
    counter.reset();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-inkql-trace': '1', ...headers },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown[]; extensions: { trace: TraceWire } };
    expect(body.errors).toBeUndefined();
    const [, traceId, serverSpanId, flags] = (response.headers.get('traceresponse') ?? '').split('-');
    return {
      body,
      traceId: traceId!,
      serverSpanId: serverSpanId!,
      flags,
      wireStatements: counter.statements,
      counter: { namedParses: counter.namedParses, unnamedParses: counter.unnamedParses },
    };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    counter = createPgStatementCounter();
    const upstream = new URL(database.databaseUrl!);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) }, { onClientData: counter.onClientData });
    receiver = await startOtlpReceiver();
    const env = {
      DATABASE_URL: proxy.via(database.databaseUrl!),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'inkql-under-test',
      // One connection: a statement prepared once is seen to be reused.
      INKQL_POOL_SIZE: '1',
    };
    [batched, naive] = await Promise.all([
      startServerProcess(env),
      startServerProcess({ ...env, INKQL_BATCHING: 'off', INKQL_CACHE: 'off' }),
    ]);
    for (const { name, query, statements } of SQL_COUNT_TABLE) {
      const { body, traceId, serverSpanId, wireStatements } = await post(batched, query);
      answered.push({ name, traceId, serverSpanId, trace: body.extensions.trace, wireStatements, expectedStatements: statements });
    }
    const { body, traceId, serverSpanId, wireStatements } = await post(naive, NAIVE.query);
    answered.push({ name: NAIVE.name, traceId, serverSpanId, trace: body.extensions.trace, wireStatements, expectedStatements: NAIVE.statements });
    // The caller's trace: sampled (flags 01) and not (00), by the default parent-based sampler.
    const parse = (answer: Awaited<ReturnType<typeof post>>) => ({
      traceId: answer.traceId,
      serverSpanId: answer.serverSpanId,
      flags: answer.flags,
      comments: answer.body.extensions.trace.sql.statements.map((statement) => statement.comment ?? ''),
      namedParses: answer.counter.namedParses,
      unnamedParses: answer.counter.unnamedParses,
      wireStatements: answer.wireStatements,
    });
    const unsampled = { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-00` };
    const sampled = { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` };
    for (const headers of [unsampled, unsampled, sampled, unsampled]) callerRequests.push(parse(await post(batched, PREPARED_QUERY, headers)));
  });

  afterAll(async () => {
    for (const server of [batched, naive]) if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await receiver?.close();
    await proxy?.close();
    await database?.close();
  });

  /** Stops both servers (SIGTERM: they send their last spans) and returns the spans of one request. */
  let stopped: Promise<void> | undefined;
  const spansOf = async (traceId: string) => {
    stopped ??= (async () => {
      for (const server of [batched, naive]) server.child.kill('SIGTERM');
      const exits = await Promise.all([batched.exited, naive.exited]);
      expect(exits.map((exit) => exit.code)).toEqual([0, 0]);
    })();
    await stopped;
    return receiver.spans.filter((span) => span.traceId === traceId);
  };

  it('counts the same statements three ways: SQL spans, the trace, and Postgres on the wire', async () => {
    for (const request of answered) {
      const spans = await spansOf(request.traceId);
      const sql = spans.filter(isSql);
      expect({ name: request.name, spans: sql.length, trace: request.trace.sql.count, wire: request.wireStatements }).toEqual({
        name: request.name,
        spans: request.expectedStatements,
        trace: request.expectedStatements,
        wire: request.expectedStatements,
      });
      expect(sql.map((span) => span.attributes['db.query.text']).sort()).toEqual(request.trace.sql.statements.map((s) => s.sql).sort());
      for (const span of sql) {
        expect(span.attributes['db.operation.name']).toBe('SELECT');
        expect(span.kind).toBe(3); // CLIENT
      }
    }
    expect(receiver.rejected).toEqual([]);
  });

  it('makes a span of every field the trace times, and ends every span it starts', async () => {
    for (const request of answered) {
      const spans = await spansOf(request.traceId);
      const fields = spans.filter(isField);
      expect(fields.map((span) => span.attributes['inkql.graphql.path']).sort()).toEqual(request.trace.resolvers.map((r) => r.path).sort());
      const batches = Object.values(request.trace.loaders).reduce((sum, loader) => sum + loader.batches, 0);
      expect(spans.filter(isBatch)).toHaveLength(batches);
      expect(spans.filter((span) => span.name === 'graphql.execute')).toHaveLength(1);
      for (const span of spans) expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
    }
  });

  it('nests each span under its field, batch, execute phase or request', async () => {
    for (const request of answered) {
      const spans = await spansOf(request.traceId);
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const server = byId.get(request.serverSpanId)!;
      expect(server).toMatchObject({ name: 'POST /graphql', kind: 2, parentSpanId: undefined, serviceName: 'inkql-under-test' });
      expect(server.attributes['http.response.status_code']).toBe(200);
      const execute = spans.find((span) => span.name === 'graphql.execute')!;
      expect(execute.parentSpanId).toBe(server.spanId);
      expect(execute.attributes['graphql.operation.type']).toBe('query');
      expect(typeof execute.attributes['graphql.document']).toBe('string');
      for (const span of spans) {
        if (span === server) continue;
        const parent = byId.get(span.parentSpanId!);
        expect(parent, `${span.name} has its parent in the trace`).toBeDefined();
        if (isField(span)) {
          const path = String(span.attributes['inkql.graphql.path']);
          if (parent!.name === 'graphql.execute') expect(path).not.toContain('.');
          else expect(path.startsWith(`${String(parent!.attributes['inkql.graphql.path'])}.`)).toBe(true);
        }
        if (isBatch(span)) expect(parent).toBe(execute);
        if (isSql(span) && span.attributes['inkql.dataloader.name']) {
          expect(parent!.name).toBe(`dataloader.batch ${String(span.attributes['inkql.dataloader.name'])}`);
        } else if (isSql(span)) {
          expect(parent!.attributes['inkql.graphql.path']).toBe(span.attributes['inkql.graphql.path']);
        }
      }
    }
  });

  it('links every batch to the field spans that put a key in it', async () => {
    for (const request of answered) {
      const spans = await spansOf(request.traceId);
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      for (const batch of spans.filter(isBatch)) {
        expect(batch.links.length).toBeGreaterThan(0);
        for (const link of batch.links) {
          expect(link.traceId).toBe(request.traceId);
          expect(isField(byId.get(link.spanId)!)).toBe(true);
        }
        expect(batch.links).toHaveLength(new Set(batch.links.map((link) => link.spanId)).size);
        if (request.name === NAIVE.name) expect(batch.links).toHaveLength(1);
      }
    }
    // One postCountByAuthorId batch for the authors of 100 posts, linked to each Author.postCount
    // field (12 authors: most of those loads were answered by the memo, while the batch was being filled).
    const counts = await spansOf(answered.find((request) => request.name === 'author post counts, cold cache')!.traceId);
    const batch = counts.find((span) => span.name === 'dataloader.batch postCountByAuthorId')!;
    const linked = batch.links.map((link) => counts.find((span) => span.spanId === link.spanId)!.attributes['inkql.graphql.path']);
    expect(linked).toEqual(Array.from({ length: 100 }, (_, i) => `posts.nodes.${i}.author.postCount`));
    // Naive mode: 20 authorById batches, each linked to its own Post.author field.
    const naiveSpans = await spansOf(answered.at(-1)!.traceId);
    const naiveBatches = naiveSpans.filter((span) => span.name === 'dataloader.batch authorById');
    expect(naiveBatches).toHaveLength(20);
    expect(new Set(naiveBatches.map((batch) => batch.links[0]!.spanId)).size).toBe(20);
  });

  it('records cache reads with hit or miss, and the writes of what was computed', async () => {
    const uncached = await spansOf(answered.find((request) => request.name === 'stats uncached')!.traceId);
    expect(uncached.filter((span) => span.name === 'cache get stats').map((span) => span.attributes['inkql.cache.hit'])).toEqual([false]);
    expect(uncached.filter((span) => span.name === 'cache set stats')).toHaveLength(1);
    const cached = await spansOf(answered.find((request) => request.name === 'stats cached')!.traceId);
    expect(cached.filter((span) => span.name === 'cache get stats').map((span) => span.attributes['inkql.cache.hit'])).toEqual([true]);
    expect(cached.filter((span) => span.name === 'cache set stats')).toHaveLength(0);
  });

  it("honours the caller's traceparent, says which trace a response belongs to, and logs its id", async () => {
    for (const request of callerRequests) expect(request.traceId).toBe(CALLER_TRACE);
    expect(callerRequests.map((request) => request.flags)).toEqual(['00', '00', '01', '00']);
    const sampled = callerRequests[2]!;
    const spans = await spansOf(CALLER_TRACE);
    // Only the sampled request's spans were sent.
    expect(spans.filter((span) => span.name === 'POST /graphql').map((span) => [span.spanId, span.parentSpanId])).toEqual([[sampled.serverSpanId, CALLER_SPAN]]);
    const logged = batched.logs.filter((line) => line.traceId === CALLER_TRACE && line.path === '/graphql');
    expect(logged).toHaveLength(4);
  });

  it('puts the traceparent of a sampled request into its SQL comments, and keeps prepared statements for the others', async () => {
    const [first, second, sampled, after] = callerRequests;
    const spans = await spansOf(CALLER_TRACE);
    const spanIds = new Set(spans.map((span) => span.spanId));
    for (const comment of sampled!.comments) {
      const traceparent = /traceparent='00-([0-9a-f]{32})-([0-9a-f]{16})-01'\*\/$/.exec(comment);
      expect(traceparent?.[1]).toBe(CALLER_TRACE);
      expect(spanIds.has(traceparent![2]!)).toBe(true);
    }
    for (const request of [first!, second!, after!]) for (const comment of request.comments) expect(comment).not.toContain('traceparent');
    // The first request prepares its statements on the one connection; the second reuses them.
    expect(second!.wireStatements).toBe(1);
    expect({ named: second!.namedParses, unnamed: second!.unnamedParses }).toEqual({ named: 0, unnamed: 0 });
    // The sampled request's text is its own: sent unnamed (a page without parameters goes as a
    // simple query, parsed each time like an unnamed Parse), nothing prepared.
    expect(sampled!.wireStatements).toBe(1);
    expect({ named: sampled!.namedParses, unnamed: sampled!.unnamedParses }).toEqual({ named: 0, unnamed: 0 });
    // And the prepared statements still serve the next request.
    expect({ named: after!.namedParses, unnamed: after!.unnamedParses }).toEqual({ named: 0, unnamed: 0 });
  });
});

describe.runIf(inject('database') === 'postgres')('OpenTelemetry with its collector down', () => {
  let database: TestDatabase;
  let collector: net.Server;
  const held = new Set<net.Socket>();
  let server: StartedServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Accepts connections and never answers: the worst a collector can do.
    collector = net.createServer((socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    server = await startServerProcess({
      DATABASE_URL: database.databaseUrl!,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as net.AddressInfo).port}`,
      // Under the exporter's own 10 s timeout, over the 2 s that shutdown gives the collector.
      INKQL_SHUTDOWN_GRACE_MS: '8000',
    });
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => collector?.close(resolve));
    await database?.close();
  });

  it('answers as usual, ignores a malformed traceparent, and still shuts down cleanly within its grace period', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PREPARED_QUERY }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('traceresponse')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(((await response.json()) as { data: { posts: { nodes: unknown[] } } }).data.posts.nodes).toHaveLength(5);
    }
    // A malformed traceparent is ignored: the request starts a trace of its own.
    const malformed = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: '00-zz-not-a-trace-01' },
      body: JSON.stringify({ query: PREPARED_QUERY }),
    });
    expect(malformed.status).toBe(200);
    expect(malformed.headers.get('traceresponse')).toMatch(/^00-(?!0{32})[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
