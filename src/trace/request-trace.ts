// The per-request record behind `extensions.trace`. Pure: no I/O, no clocks of its
// own beyond the readings it is given, so tests build one by hand.
//
//   { durationMs, operationName, phases: { parseMs, validateMs, executeMs },
//     sql: { count, durationMs, similarCount, duplicateCount, statements: [
//       { sql, params, rows, durationMs, startOffsetMs, path, field, loader, comment?, plan?, database? } ] },
//     nPlusOne: [ { sql, count, field } ],
//     loaders: { authorById: { loads, batches, maxBatch, cacheHits } },
//     cache: { hits, misses, families: { stats: { hits, misses } } },
//     resolvers: [ { path, field, startOffsetMs, durationMs } ],
//     cost: { requested, actual, maximum } }   (added by the cost plugin, graphql/plugins/cost-plugin.ts)
//
// similar = same SQL text, other parameters; duplicate = same text and same parameters (the
// grouping of Django's Debug Toolbar). Texts are compared without their sqlcommenter comment.
// A phase is absent when Apollo skipped it (a document it parsed and validated before is cached).

import { routeOf } from './route-of.ts';
import { type FieldScope, type Path, pathToString } from './field-scope.ts';

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

export interface StatementJson {
  sql: string;
  params: number;
  rows: number;
  durationMs: number;
  startOffsetMs: number;
  path?: string;
  field?: string;
  loader?: string;
  comment?: string;
  error?: string;
  plan?: unknown;
  database?: string;
}

export interface SqlSummary {
  count: number;
  durationMs: number;
  similarCount: number;
  duplicateCount: number;
  statements: StatementJson[];
}

export interface NPlusOneJson {
  sql: string;
  count: number;
  field: string;
}

export interface LoaderStats {
  loads: number;
  batches: number;
  maxBatch: number;
  cacheHits: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

export interface ResolverRecord {
  readonly path: string;
  readonly field: string;
  readonly startOffsetMs: number;
  readonly durationMs: number;
}

export interface PhasesJson {
  parseMs?: number;
  validateMs?: number;
  executeMs?: number;
}

export interface TraceJson {
  durationMs: number;
  operationName?: string;
  phases: PhasesJson;
  sql: SqlSummary;
  nPlusOne: NPlusOneJson[];
  loaders: Record<string, LoaderStats>;
  cache: CacheStats & { families: Record<string, CacheStats> };
  resolvers: ResolverRecord[];
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
  /** EXPLAIN each SELECT after it ran: 'plan', or 'analyze' to execute it once more with timing. */
  readonly explain?: ExplainMode;
}

export type ExplainMode = 'plan' | 'analyze';

/** The field a statement is attributed to when no resolver scope names one. */
export const UNATTRIBUTED_FIELD = '(request)';
/** Fewer similar statements from one field are not an N+1 suspect. */
export const N_PLUS_ONE_THRESHOLD = 2;

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export class RequestTrace {
  readonly statements: StatementRecord[] = [];
  // Resolver timings in columns, one entry per resolved field (a B request records ~630):
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
  readonly attributesFields: boolean;
  /** Whether the response will carry this trace (TraceOptions.shown). */
  readonly shown: boolean;
  readonly explain: ExplainMode | undefined;
  // The field and loader whose synchronous code runs now, set around resolvers and loader
  // batches (withFieldScope) and read when a statement is filed or a batch opens. Loose fields
  // rather than one scope object, so that a resolved field allocates nothing.
  currentField: string | undefined;
  currentPath: Path | undefined;
  currentLoader: string | undefined;

  /** `startedAt` is a performance.now() reading: offsets are measured from it. */
  constructor(readonly startedAt: number, options: TraceOptions = {}) {
    this.shown = options.shown ?? false;
    this.attributesFields = this.shown || (options.fields ?? false);
    this.explain = options.explain;
  }

  /** The scope running now, as an object of its own (undefined outside any field or loader). */
  get current(): FieldScope | undefined {
    if (this.currentField === undefined && this.currentLoader === undefined) return undefined;
    return { field: this.currentField, fieldPath: this.currentPath, loader: this.currentLoader };
  }

  addStatement(statement: StatementRecord): void {
    this.statements.push(statement);
    this.sqlDurationMs += statement.durationMs;
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
      similarCount: countRepeats(this.statements, (s) => s.sql),
      duplicateCount: countDuplicates(this.statements),
      statements: this.statements.map(toStatementJson),
    };
  }

  toJSON(now: number): TraceJson {
    const json: TraceJson = {
      durationMs: round(now - this.startedAt),
      phases: phasesJson(this.phases),
      sql: this.sqlSummary(),
      nPlusOne: findNPlusOne(this.statements),
      // Loaders are built per request whether used or not: show the ones that loaded something.
      loaders: Object.fromEntries([...this.loaders].filter(([, stats]) => stats.loads > 0 || stats.batches > 0)),
      cache: { ...this.cache, families: Object.fromEntries(this.cacheFamilies) },
      resolvers: this.resolverRecords(),
    };
    if (this.operationName) json.operationName = this.operationName;
    return json;
  }
}

/**
 * N+1 suspects: statements with the same text issued by the same field of a list (the same
 * response path once list indices are dropped), N_PLUS_ONE_THRESHOLD or more times. A batched
 * loader issues one statement per field and level, so it never shows here; two aliases of one
 * field are two fields (their repeats count as similar or duplicate, not as an N+1).
 */
export function findNPlusOne(statements: readonly StatementRecord[]): NPlusOneJson[] {
  const groups = new Map<string, NPlusOneJson>();
  for (const s of statements) {
    const field = s.field ?? UNATTRIBUTED_FIELD;
    const key = `${field}\u0000${routeOf(s.path)}\u0000${s.sql}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { sql: s.sql, count: 1, field });
  }
  // Worst first; ties by field, since concurrent statements finish (and are recorded) in any order.
  return [...groups.values()]
    .filter((g) => g.count >= N_PLUS_ONE_THRESHOLD)
    .sort((a, b) => b.count - a.count || a.field.localeCompare(b.field) || a.sql.localeCompare(b.sql));
}

/** Statements beyond the first of each group: 3 identical statements count 2 repeats. */
function countRepeats(statements: readonly StatementRecord[], keyOf: (s: StatementRecord) => string): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const statement of statements) {
    const key = keyOf(statement);
    if (seen.has(key)) repeats++;
    else seen.add(key);
  }
  return repeats;
}

/**
 * Repeats of text and parameters. Only statements that share their text with another can be
 * duplicates, so only theirs are compared: encoding every statement's parameters (a batch's
 * 100 ids) showed in the profile of a traced request.
 */
function countDuplicates(statements: readonly StatementRecord[]): number {
  const texts = new Map<string, number>();
  for (const s of statements) texts.set(s.sql, (texts.get(s.sql) ?? 0) + 1);
  const similar = statements.filter((s) => (texts.get(s.sql) ?? 0) > 1);
  return countRepeats(similar, (s) => s.sql + '\u0000' + stableParams(s.parameters));
}

export function stableParams(parameters: readonly unknown[]): string {
  return JSON.stringify(parameters, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
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
