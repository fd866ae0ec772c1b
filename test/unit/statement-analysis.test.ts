import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../explorer/src/summarize-trace.ts';
import { RequestTrace, type StatementRecord } from '../../src/trace/request-trace.ts';
import { countDuplicates, countSimilar, findNPlusOne, nPlusOneMembers, repeatsText } from '../../src/trace/statement-analysis.ts';
import type { TraceWire } from '../../src/trace/trace-format.ts';

const statement = (over: Partial<StatementRecord>): StatementRecord => ({
  sql: 'select 1',
  parameters: [],
  rows: 1,
  durationMs: 1,
  startOffsetMs: 0,
  ...over,
});

const AUTHOR_BY_ID = 'select * from "authors" where "id" = $1';

/** A page of 3 posts whose authors load one by one, one more author read by another field, and two aliases of a post's author. */
function naivePage(): StatementRecord[] {
  return [
    statement({ sql: 'select * from "posts"', field: 'Query.posts', path: 'posts' }),
    ...[0, 1, 2].map((i) => statement({ sql: AUTHOR_BY_ID, parameters: [i], field: 'Post.author', path: `posts.nodes.${i}.author` })),
    statement({ sql: AUTHOR_BY_ID, parameters: [9], field: 'Query.author', path: 'author' }),
    statement({ sql: AUTHOR_BY_ID, parameters: [1], field: 'Post.author', path: 'first.author' }),
    statement({ sql: AUTHOR_BY_ID, parameters: [1], field: 'Post.author', path: 'second.author' }),
  ];
}

/** What the server sends for `statements`. */
function served(statements: readonly StatementRecord[]): TraceWire {
  const trace = new RequestTrace(0);
  for (const s of statements) trace.addStatement(s);
  const json = trace.toJSON(10);
  return { ...json, cache: { backend: 'memory', ...json.cache } };
}

describe('statement analysis', () => {
  it('gives the server and the explorer the same N+1 list for one statement list', () => {
    const statements = naivePage();
    const trace = served(statements);
    const view = summarizeTrace({ trace });
    expect(trace.nPlusOne).toEqual([{ sql: AUTHOR_BY_ID, count: 3, field: 'Post.author' }]);
    expect(view?.nPlusOne).toEqual(findNPlusOne(statements));
  });

  it('flags in the explorer exactly the statements the N+1 list counts', () => {
    const view = summarizeTrace({ trace: served(naivePage()) });
    // The same text from another field, or from an alias of the field, is not part of the N+1.
    expect(view?.statements.map((s) => s.nPlusOne)).toEqual([false, true, true, true, false, false, false]);
    expect(nPlusOneMembers(naivePage())).toEqual([false, true, true, true, false, false, false]);
  });

  it('counts repeats of a text as similar and repeats of text and parameters as duplicate', () => {
    const statements = naivePage();
    expect(countSimilar(statements)).toBe(5);
    expect(countDuplicates(statements)).toBe(2);
    expect(served(statements).sql).toMatchObject({ similarCount: 5, duplicateCount: 2 });
  });

  it('compares bigint parameters without throwing', () => {
    expect(countDuplicates([statement({ parameters: [1n] }), statement({ parameters: [1n] }), statement({ parameters: [2n] })])).toBe(1);
  });
});

describe('repeatsText', () => {
  const of = (...texts: string[]) => texts.map((sql) => ({ sql }));
  it('says whether some statement text is run twice, the precondition of any N+1 group', () => {
    expect(repeatsText(of())).toBe(false);
    expect(repeatsText(of('a'))).toBe(false);
    expect(repeatsText(of('a', 'b', 'c'))).toBe(false);
    expect(repeatsText(of('a', 'b', 'a'))).toBe(true);
    const many = Array.from({ length: 20 }, (_, i) => `s${i}`);
    expect(repeatsText(of(...many))).toBe(false);
    expect(repeatsText(of(...many, 's7'))).toBe(true);
  });
});
