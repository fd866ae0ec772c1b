import { describe, expect, it } from 'vitest';
import { RequestTrace, type StatementRecord } from '../../src/trace/request-trace.ts';
import { findNPlusOne } from '../../src/trace/statement-analysis.ts';

const statement = (over: Partial<StatementRecord>): StatementRecord => ({
  sql: 'select 1',
  parameters: [],
  rows: 1,
  durationMs: 1,
  startOffsetMs: 0,
  ...over,
});

describe('RequestTrace', () => {
  it('counts similar (same text) and duplicate (same text and params) statements', () => {
    const trace = new RequestTrace(0);
    trace.addStatement(statement({ sql: 'a', parameters: [1] }));
    trace.addStatement(statement({ sql: 'a', parameters: [2] }));
    trace.addStatement(statement({ sql: 'a', parameters: [1] }));
    trace.addStatement(statement({ sql: 'b', parameters: [1] }));
    expect(trace.sqlSummary()).toMatchObject({ count: 4, durationMs: 4, similarCount: 2, duplicateCount: 1 });
  });

  it('adds the cache lookups a cache layer records, per family and in all', () => {
    const trace = new RequestTrace(0);
    trace.recordCache('stats', true);
    trace.recordCache('stats', false);
    trace.recordCache('postCount', true);
    expect(trace.toJSON(10).cache).toEqual({ hits: 2, misses: 1, families: { stats: { hits: 1, misses: 1 }, postCount: { hits: 1, misses: 0 } } });
  });

  it('shares the counters of loaders with one name', () => {
    const trace = new RequestTrace(0);
    trace.loaderStats('postsByAuthorId').batches++;
    trace.loaderStats('postsByAuthorId').batches++;
    expect(trace.toJSON(1).loaders).toEqual({ postsByAuthorId: { loads: 0, batches: 2, maxBatch: 0, cacheHits: 0 } });
  });

  it('reports offsets and durations from its start, rounded to microseconds', () => {
    const trace = new RequestTrace(100);
    trace.addResolver('posts', 'Query.posts', 100.5, 103.12345);
    trace.setPhase('execute', 2.62345);
    const json = trace.toJSON(112.4);
    expect(json).toMatchObject({ durationMs: 12.4, phases: { executeMs: 2.623 } });
    expect(json.resolvers).toEqual([{ path: 'posts', field: 'Query.posts', startOffsetMs: 0.5, durationMs: 2.623 }]);
  });
});

describe('findNPlusOne', () => {
  it('lists a statement repeated by one field across a list, naming the field', () => {
    const rows = Array.from({ length: 3 }, (_, i) => statement({ sql: 'by id', field: 'Post.author', path: `posts.nodes.${i}.author` }));
    expect(findNPlusOne([statement({ field: 'Query.posts', path: 'posts' }), ...rows])).toEqual([{ sql: 'by id', count: 3, field: 'Post.author' }]);
  });

  it('does not count one statement per field as an N+1', () => {
    expect(
      findNPlusOne([
        statement({ sql: 'by id', field: 'Post.author', path: 'posts.nodes.0.author' }),
        statement({ sql: 'by id', field: 'Post.author', path: 'a.nodes.0.author' }),
        statement({ sql: 'by post', field: 'Post.tags', path: 'posts.nodes.0.tags' }),
      ]),
    ).toEqual([]);
  });

  it('groups statements of no known field together', () => {
    expect(findNPlusOne([statement({ sql: 'x' }), statement({ sql: 'x' })])).toEqual([{ sql: 'x', count: 2, field: '(request)' }]);
  });
});
