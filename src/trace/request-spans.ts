// The listener through which OpenTelemetry (or any span tracer) sees a request's trace. The trace
// already hears every event a span needs, at one seam each: the field scope (fields and loader
// batches), the request's database handle (statements, via the recording dialect and the statement
// observer), and its cache handle (cache reads and writes). A request that is not sampled has no
// listener, and each seam then pays one property read.
//
//   HTTP server span (POST /graphql)
//   ├─ graphql.parse, graphql.validate
//   └─ graphql.execute
//      ├─ field span (Query.posts) ── SQL span (select ... from post)
//      │  └─ field span (Post.author)          ┐ links
//      ├─ dataloader.batch authorById ─────────┘ ── SQL span (select ... where id = any($1))
//      └─ cache get postCount (hits, misses), cache set postCount
//
// Times are performance.now() readings, so spans recorded after the fact (statements, cache calls)
// carry the same clock as the trace.

import type { Path } from './response-path.ts';

/** A span as the trace holds it: opaque, handed back to the listener that made it. */
export type SpanRef = object;

export type GraphQLPhase = 'parse' | 'validate' | 'execute';

/** The spans of one cache call, reported when each step is over. */
export interface CacheCallSpans {
  read(keys: number, hits: number, startedAt: number, endedAt: number): void;
  write(keys: number, startedAt: number, endedAt: number): void;
}

/** What a statement's span says (a trace's StatementRecord is one). */
export interface SpannedStatement {
  readonly sql: string;
  readonly rows: number;
  readonly durationMs: number;
  readonly path?: string;
  readonly field?: string;
  readonly loader?: string;
  readonly error?: string;
}

/** One sampled request's spans. */
export interface RequestSpans {
  /** A phase of Apollo's pipeline begins; the returned function ends its span. */
  startPhase(phase: GraphQLPhase): (error?: unknown) => void;
  /** The operation Apollo resolved: its name, type (`query`) and document source. */
  operation(name: string | undefined, type: string, document: string | undefined): void;
  /** A timed field's resolver begins (before it runs, so that its loads can link to it). */
  startField(path: Path, field: string, startedAt: number): SpanRef;
  endField(span: SpanRef, endedAt: number, error?: unknown): void;
  /** A DataLoader batch is dispatched, holding the loads of `fields` (keys they added, or memo hits on its keys). */
  startBatch(loader: string, keys: number, fields: readonly SpanRef[], startedAt: number): SpanRef;
  endBatch(span: SpanRef, endedAt: number, error?: unknown): void;
  /** A statement ran (it is already in the trace), in the field or batch span `parent`. */
  statement(statement: SpannedStatement, startedAt: number, parent: SpanRef | undefined): void;
  /** A cache call of `family` begins in the field or batch span `parent`. */
  cacheCall(family: string, parent: SpanRef | undefined): CacheCallSpans;
  /** The W3C traceparent of `span` (the request's span when undefined), for the SQL comment. */
  traceparent(span: SpanRef | undefined): string;
}

/** A request as the HTTP layer sees it: its trace id whether sampled or not, and its spans when sampled. */
export interface RequestTelemetry {
  /** Present only when the request is sampled. */
  readonly spans: RequestSpans | undefined;
  readonly traceId: string;
  /** The `traceresponse` header's value: version, trace id, the server span's id, flags. */
  readonly traceresponse: string;
  /** Ends the server span with the response's status. */
  end(statusCode: number, error?: unknown): void;
}

/** What the server holds when OpenTelemetry is configured (src/telemetry/start-telemetry.ts). */
export interface Telemetry {
  startRequest(method: string, route: string, headers: Record<string, string | string[] | undefined>): RequestTelemetry;
  /** Sends the spans still buffered (for a bounded time: the collector may be down), then stops. */
  shutdown(): Promise<void>;
}
