// The per-request record behind `extensions.trace` (DESIGN §5). Pure: no I/O, no clocks of its
// own beyond the offsets it is given, so tests build one by hand.
//
//   { durationMs, sql: { count, durationMs, similarCount, duplicateCount, statements: [
//       { sql, params, rows, durationMs, startOffsetMs, path, loader } ] } }
//
// similar = same SQL text, other parameters; duplicate = same text and same parameters.

export interface StatementRecord {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly rows: number;
  readonly durationMs: number;
  readonly startOffsetMs: number;
  readonly path?: string;
  readonly field?: string;
  readonly loader?: string;
  readonly error?: string;
}

export interface StatementJson {
  sql: string;
  params: number;
  rows: number;
  durationMs: number;
  startOffsetMs: number;
  path?: string;
  loader?: string;
  error?: string;
}

export interface SqlSummary {
  count: number;
  durationMs: number;
  similarCount: number;
  duplicateCount: number;
  statements: StatementJson[];
}

export interface CacheCounts {
  hits: number;
  misses: number;
}

export const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export class RequestTrace {
  readonly statements: StatementRecord[] = [];
  sqlDurationMs = 0;
  /** Cache hits and misses per key family (stats, authorPostCount, tagPostCount, apq). */
  readonly cache = new Map<string, CacheCounts>();

  /** `startedAt` is a performance.now() reading: offsets are measured from it. */
  constructor(readonly startedAt: number) {}

  addStatement(statement: StatementRecord): void {
    this.statements.push(statement);
    this.sqlDurationMs += statement.durationMs;
  }

  recordCache(family: string, hit: boolean): void {
    let counts = this.cache.get(family);
    if (!counts) this.cache.set(family, (counts = { hits: 0, misses: 0 }));
    if (hit) counts.hits++;
    else counts.misses++;
  }

  /** `{ hits, misses, families: { stats: { hits, misses }, ... } }`, totals over all families. */
  cacheSummary(): CacheCounts & { families: Record<string, CacheCounts> } {
    const families = Object.fromEntries([...this.cache].map(([family, counts]) => [family, { ...counts }]));
    let hits = 0;
    let misses = 0;
    for (const counts of this.cache.values()) {
      hits += counts.hits;
      misses += counts.misses;
    }
    return { hits, misses, families };
  }

  get sqlCount(): number {
    return this.statements.length;
  }

  sqlSummary(): SqlSummary {
    return {
      count: this.statements.length,
      durationMs: round(this.sqlDurationMs),
      similarCount: countRepeats(this.statements, (s) => s.sql),
      duplicateCount: countRepeats(this.statements, (s) => s.sql + '\u0000' + stableParams(s.parameters)),
      statements: this.statements.map(toStatementJson),
    };
  }
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

export function stableParams(parameters: readonly unknown[]): string {
  return JSON.stringify(parameters, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
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
  if (s.loader) json.loader = s.loader;
  if (s.error) json.error = s.error;
  return json;
}
