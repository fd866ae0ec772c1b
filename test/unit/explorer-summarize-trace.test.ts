import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../explorer/src/summarize-trace.ts';
import { RequestTrace } from '../../src/trace/request-trace.ts';
import { routeOf } from '../../src/trace/route-of.ts';
import type { SqlSummary, StatementJson, TraceWire } from '../../src/trace/trace-format.ts';

const statement = (sql: string, extra: Partial<StatementJson> = {}): StatementJson => ({ sql, params: 1, rows: 1, durationMs: 1, startOffsetMs: 0, ...extra });

/** A trace as the server sends it: an empty request's record, with `over` on top. */
function wire(over: Omit<Partial<TraceWire>, 'sql'> & { sql?: Partial<SqlSummary> } = {}): TraceWire {
  const empty = new RequestTrace(0).toJSON(0);
  const { sql, ...rest } = over;
  return { ...empty, cache: { backend: 'memory', ...empty.cache }, ...rest, sql: { ...empty.sql, ...sql } };
}

describe('summarizeTrace', () => {
  it('uses the server nPlusOne section when present', () => {
    const view = summarizeTrace({
      trace: wire({
        durationMs: 10,
        sql: { count: 2, durationMs: 2, similarCount: 1, duplicateCount: 0, statements: [statement('a'), statement('a')] },
        nPlusOne: [{ sql: 'a', count: 2, field: 'Post.author' }],
        loaders: { authorById: { loads: 2, batches: 2, maxBatch: 1, cacheHits: 0 } },
        cache: { backend: 'memory', hits: 1, misses: 3, families: {} },
        cost: { requested: 41, actual: 20, maximum: 1000 },
      }),
    });
    expect(view?.nPlusOne).toEqual([{ field: 'Post.author', count: 2, sql: 'a' }]);
    expect(view?.statements.map((s) => s.nPlusOne)).toEqual([true, true]);
    expect(view?.loaders).toEqual([{ name: 'authorById', loads: 2, batches: 2, maxBatch: 1 }]);
    expect(view?.cache).toEqual({ hits: 1, misses: 3 });
    expect(view?.cost).toEqual({ requested: 41, maximum: 1000, actual: 20, budget: undefined });
  });

  it('reports a rejected operation cost from the QUERY_TOO_COMPLEX error', () => {
    const view = summarizeTrace(undefined, [{ message: 'too complex', extensions: { code: 'QUERY_TOO_COMPLEX', cost: 1_010_100, maximum: 1000 } }]);
    expect(view?.cost).toEqual({ requested: 1_010_100, maximum: 1000, budget: undefined, rejected: 'QUERY_TOO_COMPLEX' });
    expect(view?.statements).toEqual([]);
  });

  it('reads the Shopify-style cost extension, with the configured maximum', () => {
    const cost = { requestedQueryCost: 241, actualQueryCost: 120, throttleStatus: { maximumAvailable: 5000, currentlyAvailable: 4880, restoreRate: 100 } };
    expect(summarizeTrace({ cost }, undefined, 1000)?.cost).toEqual({
      requested: 241,
      maximum: 1000,
      actual: 120,
      budget: { available: 4880, maximum: 5000 },
    });
  });

  it("shows the client's budget from extensions.cost beside the trace's price", () => {
    const throttleStatus = { maximumAvailable: 5000, currentlyAvailable: 4880, restoreRate: 100 };
    const view = summarizeTrace({
      trace: wire({ cost: { requested: 241, actual: 120, maximum: 1000 } }),
      cost: { requestedQueryCost: 241, actualQueryCost: 120, throttleStatus },
    });
    expect(view?.cost).toEqual({ requested: 241, maximum: 1000, actual: 120, budget: { available: 4880, maximum: 5000 } });
  });

  it('labels statements with the field that issued them when the server says', () => {
    const view = summarizeTrace({ trace: wire({ sql: { count: 1, statements: [statement('s', { field: 'Post.author', path: 'posts.nodes.0.author' })] } }) });
    expect(view?.statements[0]).toMatchObject({ label: 'Post.author', path: 'posts.nodes.0.author' });
  });

  it('is undefined for a response without trace or cost', () => {
    expect(summarizeTrace({})).toBeUndefined();
  });

  it('drops list indices from statement paths', () => {
    expect(routeOf('authors.nodes.3.posts.edges.0.node.tags')).toBe('authors.nodes.posts.edges.node.tags');
  });
});
