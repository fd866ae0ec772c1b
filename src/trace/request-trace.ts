// The per-request record behind `extensions.trace` (its wire format: trace-format.ts; what its
// statements add up to: statement-analysis.ts). Pure: no I/O, no clocks of its own beyond the
// readings it is given, so tests build one by hand.

import { millisecondsJson } from './milliseconds-json.ts';
import { PrebuiltJson } from './prebuilt-json.ts';
import type { CacheCallSpans, RequestSpans, SpanRef } from './request-spans.ts';
import { type Path, pathToString } from './response-path.ts';
import { countDuplicates, countSimilar, findNPlusOne } from './statement-analysis.ts';
import type { CacheStats, LoaderStats, PhasesJson, ResolverRecord, SqlSummary, StatementJson, TraceJson } from './trace-format.ts';


export interface StatementRecord {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly rows: number;
  readonly durationMs: number;
  readonly startOffsetMs: number;
  /** Response path with list indices (`posts.nodes.3.author`), as graphql-js reports it. */
  readonly path?: string;
  /** The schema field whose resolver issued the statement (`Post.author`). */
  readonly field?: string;
  readonly loader?: string;
  /** The sqlcommenter comment sent with the text (the text itself is kept without it). */
  readonly comment?: string;
  readonly error?: string;
  /** EXPLAIN (FORMAT JSON) output, when the request asked for plans. */
  plan?: unknown;
  /** Which database served it (`primary`, `replica 1 (host:port)`), when there are read replicas. */
  readonly database?: string;
}

/** What the request asked to be recorded beyond the always-on counters. */
export interface TraceOptions {
  /** Attribute statements to the field that issued them (trace, SQL comments, SQL log). */
  readonly fields?: boolean;
  /**
   * The trace will be shown: record what only its reader needs, resolver timings (a clock
   * reading per field) and loader memo hits (a call per load).
   */
  readonly shown?: boolean;
  /** A shown trace that times every resolved field, plain scalar reads included (`X-Inkql-Trace: resolvers`). */
  readonly everyField?: boolean;
  /** EXPLAIN each SELECT after it ran: 'plan', or 'analyze' to execute it once more with timing. */
  readonly explain?: ExplainMode;
  /** The request is sampled: its fields, batches, statements and cache calls become spans here. */
  readonly spans?: RequestSpans;
}

export type ExplainMode = 'plan' | 'analyze';

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export class RequestTrace {
  readonly statements: StatementRecord[] = [];
  // Resolver timings in columns, one entry per timed field (hundreds for a B request):
  // nothing is allocated per field beyond the array slots, and the response path stays
  // graphql-js's linked list until the trace is shown.
  private readonly timedPaths: (Path | string)[] = [];
  private readonly timedFields: string[] = [];
  private readonly timedStarts: number[] = [];
  private readonly timedEnds: number[] = [];
  readonly loaders = new Map<string, LoaderStats>();
  readonly cache: CacheStats = { hits: 0, misses: 0 };
  readonly cacheFamilies = new Map<string, CacheStats>();
  readonly phases: { parse?: number; validate?: number; execute?: number } = {};
  sqlDurationMs = 0;
  operationName: string | undefined;
  /** Set once the operation is resolved (a request refused before that has none). */
  operationType: string | undefined;
  /** GraphQL errors in the response, whatever its HTTP status. */
  errorCount = 0;
  readonly attributesFields: boolean;
  /** Whether the response will carry this trace (TraceOptions.shown). */
  readonly shown: boolean;
  readonly timesEveryField: boolean;
  /** Root and object fields are timed: for a shown trace, or for the spans of a sampled request. */
  readonly timesFields: boolean;
  readonly explain: ExplainMode | undefined;
  readonly spans: RequestSpans | undefined;
  // The scope running now: read and written only as trace/field-scope.ts says.
  currentField: string | undefined;
  currentPath: Path | undefined;
  currentLoader: string | undefined;
  /** The span of the field or batch running now (sampled requests only). */
  currentSpan: SpanRef | undefined;

  /** `startedAt` is a performance.now() reading: offsets are measured from it. */
  constructor(readonly startedAt: number, options: TraceOptions = {}) {
    this.shown = options.shown ?? false;
    this.timesEveryField = this.shown && (options.everyField ?? false);
    this.spans = options.spans;
    this.timesFields = this.shown || this.spans !== undefined;
    this.attributesFields = this.timesFields || (options.fields ?? false);
    this.explain = options.explain;
  }

  /** The scope running now (field-scope.ts, currentScope), for a reader that holds only the trace. */
  get current(): { readonly field?: string; readonly fieldPath?: Path; readonly loader?: string; readonly span?: SpanRef } | undefined {
    if (this.currentField === undefined && this.currentLoader === undefined) return undefined;
    return { field: this.currentField, fieldPath: this.currentPath, loader: this.currentLoader, span: this.currentSpan };
  }

  /** `parentSpan`: the span of the field or batch that ran it (its scope's). */
  addStatement(statement: StatementRecord, parentSpan?: SpanRef): void {
    this.statements.push(statement);
    this.sqlDurationMs += statement.durationMs;
    this.spans?.statement(statement, this.startedAt + statement.startOffsetMs, parentSpan);
  }

  get sqlCount(): number {
    return this.statements.length;
  }

  /** The live counters of one loader (loader families share their name, so they add up). */
  loaderStats(name: string): LoaderStats {
    let stats = this.loaders.get(name);
    if (!stats) {
      stats = { loads: 0, batches: 0, maxBatch: 0, cacheHits: 0 };
      this.loaders.set(name, stats);
    }
    return stats;
  }

  /** Called by the cache layer for every lookup: `family` names the kind of value (`stats`, `postCount`). */
  recordCache(family: string, hit: boolean): void {
    let stats = this.cacheFamilies.get(family);
    if (!stats) {
      stats = { hits: 0, misses: 0 };
      this.cacheFamilies.set(family, stats);
    }
    if (hit) {
      stats.hits++;
      this.cache.hits++;
    } else {
      stats.misses++;
      this.cache.misses++;
    }
  }

  /** The spans of a cache call beginning now, under the field or batch running now (undefined unless sampled). */
  startCacheCall(family: string): CacheCallSpans | undefined {
    return this.spans?.cacheCall(family, this.currentSpan);
  }

  /** A timed field is done: recorded for a shown trace, and its span (if any) ended. */
  endField(path: Path, field: string, startedAt: number, endedAt: number, span: SpanRef | undefined, error?: unknown): void {
    if (this.shown) this.addResolver(path, field, startedAt, endedAt);
    if (span) this.spans!.endField(span, endedAt, error);
  }

  /** `path` is a response path (`posts.nodes.3.author`) as text or as graphql-js's `info.path`. */
  addResolver(path: Path | string, field: string, startedAt: number, endedAt: number): void {
    this.timedPaths.push(path);
    this.timedFields.push(field);
    this.timedStarts.push(startedAt);
    this.timedEnds.push(endedAt);
  }

  resolverRecords(): ResolverRecord[] {
    // graphql-jit builds a fresh path chain for every call, so a memo of parent texts by path
    // object never hit: it only hashed each parent (three times slower than walking the chain).
    const records: ResolverRecord[] = new Array(this.timedPaths.length);
    for (let i = 0; i < records.length; i++) {
      const path = this.timedPaths[i]!;
      const startedAt = this.timedStarts[i]!;
      records[i] = {
        path: typeof path === 'string' ? path : pathToString(path)!,
        field: this.timedFields[i]!,
        startOffsetMs: round(startedAt - this.startedAt),
        durationMs: round(this.timedEnds[i]! - startedAt),
      };
    }
    return records;
  }

  /**
   * The JSON text of resolverRecords(), written from the columns without building the records
   * (trace/prebuilt-json.ts). A path made from graphql-jit's holds names and list indices and a
   * field is a schema name: neither needs escaping.
   */
  resolversJson(): string {
    let text = '[';
    for (let i = 0; i < this.timedPaths.length; i++) {
      const path = this.timedPaths[i]!;
      const startedAt = this.timedStarts[i]!;
      text +=
        `${i === 0 ? '' : ','}{"path":${typeof path === 'string' ? JSON.stringify(path) : `"${pathToString(path)}"`},"field":"${this.timedFields[i]}",` +
        `"startOffsetMs":${millisecondsJson(startedAt - this.startedAt)},"durationMs":${millisecondsJson(this.timedEnds[i]! - startedAt)}}`;
    }
    return text + ']';
  }

  /** Records how long a request phase (parse, validate, execute) took. */
  setPhase(phase: 'parse' | 'validate' | 'execute', durationMs: number): void {
    this.phases[phase] = durationMs;
  }

  /** Time spent resolving fields (the execute phase; 0 when the request never got there). */
  get resolveDurationMs(): number {
    return this.phases.execute ?? 0;
  }

  sqlSummary(): SqlSummary {
    return {
      count: this.statements.length,
      durationMs: round(this.sqlDurationMs),
      similarCount: countSimilar(this.statements),
      duplicateCount: countDuplicates(this.statements),
      statements: this.statements.map(toStatementJson),
    };
  }

  /**
   * toJSON for the response Apollo writes (graphql/stringify-response.ts): `resolvers` is written
   * straight from the columns when the response is, and built as records only for any other reader.
   */
  toResponseJSON(now: number): TraceJson {
    const resolvers = new PrebuiltJson(() => this.resolversJson(), () => this.resolverRecords());
    return this.toJSON(now, resolvers as unknown as ResolverRecord[]);
  }

  toJSON(now: number, resolvers: ResolverRecord[] = this.resolverRecords()): TraceJson {
    const json: TraceJson = {
      durationMs: round(now - this.startedAt),
      phases: phasesJson(this.phases),
      sql: this.sqlSummary(),
      nPlusOne: findNPlusOne(this.statements),
      // Loaders are built per request whether used or not: show the ones that loaded something.
      loaders: Object.fromEntries([...this.loaders].filter(([, stats]) => stats.loads > 0 || stats.batches > 0)),
      cache: { ...this.cache, families: Object.fromEntries(this.cacheFamilies) },
      resolvers,
    };
    if (this.operationName) json.operationName = this.operationName;
    return json;
  }
}

function phasesJson(phases: RequestTrace['phases']): PhasesJson {
  const json: PhasesJson = {};
  if (phases.parse !== undefined) json.parseMs = round(phases.parse);
  if (phases.validate !== undefined) json.validateMs = round(phases.validate);
  if (phases.execute !== undefined) json.executeMs = round(phases.execute);
  return json;
}

function toStatementJson(s: StatementRecord): StatementJson {
  const json: StatementJson = {
    sql: s.sql,
    params: s.parameters.length,
    rows: s.rows,
    durationMs: round(s.durationMs),
    startOffsetMs: round(s.startOffsetMs),
  };
  if (s.path) json.path = s.path;
  if (s.field) json.field = s.field;
  if (s.loader) json.loader = s.loader;
  if (s.comment) json.comment = s.comment;
  if (s.error) json.error = s.error;
  if (s.database) json.database = s.database;
  if (s.plan !== undefined) json.plan = s.plan;
  return json;
}
