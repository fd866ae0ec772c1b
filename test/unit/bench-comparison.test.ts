import { describe, expect, it } from 'vitest';
import { busyVerdict, type MachineLoad } from '../../bench/busy-machine.ts';
import { comparisonTable } from '../../bench/comparison-table.ts';
import { dataDifference } from '../../bench/data-difference.ts';
import { dataFromPostGraphile } from '../../bench/postgraphile-shape.ts';
import { formatSpread, spreadOf } from '../../bench/spread.ts';
import { type Measurement, type RunResult, summarise } from '../../bench/summarise.ts';

const run = (reqPerSec: number, p99: number, extra: Partial<RunResult> = {}): RunResult => ({
  requests: reqPerSec * 3,
  reqPerSec,
  p50: p99 / 3,
  p90: p99 / 2,
  p99,
  non2xx: 0,
  mismatches: 0,
  errors: 0,
  ...extra,
});

function cell(scenario: string, mode: string, connections: number, reps: RunResult[]): Measurement {
  return { scenario, label: `${scenario} page`, mode, scale: '1k', posts: 1000, connections, sqlPerRequest: null, cpuMsPerRequest: 1, reps, summary: summarise(reps) };
}

describe('spread of a cell', () => {
  it('is the median of the rounds with their smallest and largest value', () => {
    expect(spreadOf([900, 1200, 1000])).toEqual({ median: 1000, min: 900, max: 1200 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(formatSpread({ median: 1234, min: 1100, max: 1300 })).toBe('1,234 (1,100–1,300)');
  });

  it('is no figure at all without rounds', () => {
    expect(formatSpread(spreadOf([]))).toBe('- (-–-)');
  });
});

describe('busy machine', () => {
  const quiet: MachineLoad = { cores: 2, loadBefore: 0.3, loadAfter: 2.4, loadGeneratorCores: 0.9, serverCores: 1.1 };

  it('is quiet when others load at most half the cores, the bench\'s own CPU taken off the load after', () => {
    const verdict = busyVerdict(quiet);
    expect(verdict.busy).toBe(false);
    expect(verdict.text).toContain('the load generator took 0.90 cores');
  });

  it('is busy when the load before the rounds exceeds half the cores', () => {
    expect(busyVerdict({ ...quiet, loadBefore: 1.2 }).busy).toBe(true);
  });

  it('is busy when the load after the rounds exceeds what the bench itself took by more than half the cores', () => {
    const verdict = busyVerdict({ ...quiet, loadAfter: 3.2 });
    expect(verdict.busy).toBe(true);
    expect(verdict.text).toMatch(/^\*\*Busy machine: load average 0\.30 before and 3\.20 after/);
  });

  it('is busy when the load cannot be read', () => {
    expect(busyVerdict({ ...quiet, loadBefore: Number.NaN }).busy).toBe(true);
  });
});

describe('data of two servers', () => {
  const inkql = { posts: { nodes: [{ id: 'UG9zdDox', title: 'One', author: { name: 'Ada' }, tags: [{ name: 'x' }, { name: 'y' }] }] } };
  const postGraphile = {
    allPosts: {
      nodes: [
        {
          nodeId: 'WyJwb3N0cyIsMV0=',
          title: 'One',
          authorByAuthorId: { name: 'Ada' },
          postTagsByPostId: { nodes: [{ tagByTagId: { name: 'x' } }, { tagByTagId: { name: 'y' } }] },
        },
      ],
    },
  };

  it('is the same once PostGraphile\'s answer is put in inkql\'s shape and ids are left out', () => {
    expect(dataDifference(inkql, dataFromPostGraphile('A', postGraphile))).toBeNull();
  });

  it('differs in a value, naming where', () => {
    const other = structuredClone(postGraphile);
    other.allPosts.nodes[0]!.postTagsByPostId.nodes[1]!.tagByTagId.name = 'z';
    expect(dataDifference(inkql, dataFromPostGraphile('A', other))).toBe('posts.nodes[0].tags[1].name: "y" against "z"');
  });

  it('differs in the order of a list', () => {
    const reversed = structuredClone(inkql);
    reversed.posts.nodes[0]!.tags.reverse();
    expect(dataDifference(inkql, reversed)).toBe('posts.nodes[0].tags[0].name: "x" against "y"');
  });

  it("puts PostGraphile's tags of a post in inkql's order, by name", () => {
    const other = structuredClone(postGraphile);
    other.allPosts.nodes[0]!.postTagsByPostId.nodes.reverse();
    expect(dataDifference(inkql, dataFromPostGraphile('A', other))).toBeNull();
    expect(dataFromPostGraphile('A', other).posts.nodes[0].tags).toEqual([{ name: 'x' }, { name: 'y' }]);
  });

  it('differs in a missing field, an extra field and a list length', () => {
    expect(dataDifference({ a: 1, b: 2 }, { a: 1 })).toBe('b: 2 against nothing');
    expect(dataDifference({ a: 1 }, { a: 1, c: null })).toBe('c: nothing against null');
    expect(dataDifference({ list: [1, 2] }, { list: [1] })).toBe('list: 2 items against 1');
    expect(dataDifference({ n: 1 }, { n: '1' })).toBe('n: 1 against "1"');
  });

  it('puts C (authors with their newest posts) in inkql\'s shape', () => {
    const data = {
      allAuthors: {
        nodes: [{ name: 'Ada', postsByAuthorId: { edges: [{ node: { title: 'One', postTagsByPostId: { nodes: [{ tagByTagId: { name: 'x' } }] } } }] } }],
      },
    };
    const expected = { authors: { nodes: [{ name: 'Ada', posts: { edges: [{ node: { title: 'One', tags: [{ name: 'x' }] } }] } }] } };
    expect(dataDifference(expected, dataFromPostGraphile('C', data))).toBeNull();
  });
});

describe('comparison table', () => {
  it('shows each cell as the median of its rounds with their min–max, and ratios of the medians', () => {
    const rows = [
      cell('A', 'inkql', 10, [run(1500, 12), run(1800, 9), run(1600, 10)]),
      cell('A', 'trusted', 10, [run(2000, 8), run(2100, 7), run(1900, 9)]),
      cell('A', 'pg', 10, [run(1000, 20), run(800, 30), run(900, 25, { non2xx: 2 })]),
    ];
    const table = comparisonTable(rows, { inkql: 'inkql', trusted: 'trusted', postgraphile: 'pg' });
    const line = table.split('\n')[2];
    expect(line).toBe(
      '| A A page | 10 | 1,600 (1,500–1,800) | 2,000 (1,900–2,100) | 900 (800–1,000) | 1.78x | 2.22x | 10.0 (9.0–12.0) | 8.0 (7.0–9.0) | 25.0 (20.0–30.0) | 2 |',
    );
  });
});
