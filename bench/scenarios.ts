import { readFileSync } from 'node:fs';
import { dataFromPostGraphile } from './postgraphile-shape.ts';

// The load scenarios, each a GraphQL document in bench/operations/ plus the check that a
// response to it is complete and right (run in full on one response per scenario and mode).

export interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly query: string;
  /** Why a response's data is wrong (null when right), given the database size in posts. */
  readonly check: (data: any, posts: number) => string | null;
}

function operation(file: string): string {
  return readFileSync(new URL(`./operations/${file}`, import.meta.url), 'utf8');
}

function checkPostNodes(nodes: any, expected: number): string | null {
  if (!Array.isArray(nodes)) return 'no nodes list';
  if (nodes.length !== expected) return `expected ${expected} posts, got ${nodes.length}`;
  for (const post of nodes) {
    if (typeof post?.title !== 'string' || typeof post.author?.name !== 'string' || !Array.isArray(post.tags)) {
      return `incomplete post ${JSON.stringify(post)}`;
    }
  }
  return null;
}

const pageOf = (size: number) => (data: any, posts: number) => checkPostNodes(data?.posts?.nodes, Math.min(size, posts));

/** Scenario F's write: each connection sends it after every few reads of SCENARIOS.F. */
export const F_WRITE = operation('f-write.graphql');

export const SCENARIOS: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', Scenario> = {
  A: { id: 'A', label: 'posts(first: 20)', query: operation('a-posts-20.graphql'), check: pageOf(20) },
  B: { id: 'B', label: 'posts(first: 100)', query: operation('b-posts-100.graphql'), check: pageOf(100) },
  C: {
    id: 'C',
    label: 'authors(10) x posts(10)',
    query: operation('c-authors-posts.graphql'),
    check: (data) => {
      const authors = data?.authors?.nodes;
      if (!Array.isArray(authors) || authors.length !== 10) return `expected 10 authors, got ${authors?.length}`;
      for (const author of authors) {
        const edges = author?.posts?.edges;
        if (typeof author.name !== 'string' || !Array.isArray(edges) || edges.length !== 10) return `incomplete author ${JSON.stringify(author)}`;
        const problem = checkPostNodes(
          edges.map((e: any) => ({ ...e.node, author: { name: author.name } })),
          10,
        );
        if (problem) return problem;
      }
      return null;
    },
  },
  D: {
    id: 'D',
    label: 'stats',
    query: operation('d-stats.graphql'),
    check: (data, posts) =>
      data?.stats?.postCount === posts && Array.isArray(data.stats.topTags) && data.stats.topTags.length > 0
        ? null
        : `wrong stats ${JSON.stringify(data?.stats)}`,
  },
  E: { id: 'E', label: 'posts page (cursor)', query: operation('e-posts-page.graphql'), check: pageOf(20) },
  F: {
    id: 'F',
    label: 'mixed read/write',
    query: operation('f-read.graphql'),
    check: (data) => {
      const authors = data?.authors?.nodes;
      if (!Number.isInteger(data?.stats?.postCount)) return `wrong stats ${JSON.stringify(data?.stats)}`;
      if (!Array.isArray(authors) || authors.length !== 10) return `expected 10 authors, got ${authors?.length}`;
      const bad = authors.find((author: any) => typeof author?.id !== 'string' || !Number.isInteger(author.postCount));
      return bad ? `incomplete author ${JSON.stringify(bad)}` : null;
    },
  },
};

/**
 * Scenario G: A's query through the whole-response cache (INKQL_RESPONSE_CACHE=on), warm against
 * cold, and in a read-mostly mix (F_READS_PER_WRITE reads of it, then F's createPost) with the
 * response cache on against off.
 */
export const RESPONSE_CACHE_SCENARIO: Scenario = { ...SCENARIOS.A, id: 'G', label: 'response cache (A)' };

/** What the PostGraphile 5 reference server (bench/reference/) is measured as. */
export const POSTGRAPHILE_MODE = 'PostGraphile 5';

/** A page of posts (A, B) in PostGraphile's names, checked by inkql's own check of that page. */
function postGraphilePostsPage(id: 'A' | 'B', file: string): Scenario {
  return {
    ...SCENARIOS[id],
    query: operation(file),
    check: (data, posts) => SCENARIOS[id].check(dataFromPostGraphile(id, data), posts),
  };
}

/**
 * A, B and C in PostGraphile's names: the same rows (same orderings), checked by inkql's own
 * checks once the response is put in inkql's shape.
 */
export const POSTGRAPHILE_SCENARIOS: Record<'A' | 'B' | 'C', Scenario> = {
  A: postGraphilePostsPage('A', 'postgraphile-a-posts-20.graphql'),
  B: postGraphilePostsPage('B', 'postgraphile-b-posts-100.graphql'),
  C: {
    ...SCENARIOS.C,
    query: operation('postgraphile-c-authors-posts.graphql'),
    check: (data, posts) => SCENARIOS.C.check(dataFromPostGraphile('C', data), posts),
  },
};
