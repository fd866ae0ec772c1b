import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildSchema, type GraphQLObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { computeActualCost } from '../../src/limits/actual-cost.ts';
import { fieldCostOf } from '../../src/limits/field-cost.ts';
import { availableAt, drain, toBudgetStatus } from '../../src/limits/leaky-bucket.ts';
import { createMemoryBudgetStore } from '../../src/limits/memory-budget-store.ts';
import { MAX_PRICE_KEY_LENGTH, priceKey, priceOperation } from '../../src/limits/price-operation.ts';
import { MAX_TAGS } from '../../src/resolvers/post-input.ts';
import { SCHEMA_PATH } from '../../src/graphql/build-schemas.ts';

const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
const price = (query: string, variables?: Record<string, unknown>) => priceOperation({ schema, document: parse(query), variables });

describe('priceOperation', () => {
  it('multiplies a connection by first: 2 + 100 × (node 1 + author 1 + tags 1)', () => {
    expect(price(`{ posts(first: 100) { nodes { title author { name } tags { name } } } }`)).toBe(302);
  });

  it("prices what is under a post's tags for the most tags a post can have", () => {
    expect(price(`{ post(id: "x") { tags { name posts(first: 5) { nodes { title } } } } }`)).toBe(1 + 1 + MAX_TAGS * (2 + 5 * 1));
  });

  it("declares the tags' upper bound as the one writes enforce", () => {
    const tags = (schema.getType('Post') as GraphQLObjectType).getFields().tags!;
    expect(fieldCostOf(schema, tags).assumedSize).toBe(MAX_TAGS);
  });

  it('prices a connection without first or last as a default page of 20', () => {
    expect(price(`{ posts { nodes { title } } }`)).toBe(2 + 20 * 1);
  });

  it('uses last when first is absent', () => {
    expect(price(`{ posts(last: 5) { edges { node { title } } } }`)).toBe(2 + 5 * 1);
  });

  it('reads first from the variables', () => {
    const query = `query ($n: Int) { posts(first: $n) { nodes { id } } }`;
    expect(price(query, { n: 3 })).toBe(5);
    expect(price(query, { n: 100 })).toBe(102);
  });

  it('multiplies nested connections', () => {
    expect(price(`{ authors(first: 10) { nodes { name posts(first: 10) { totalCount nodes { title tags { name } } } } } }`)).toBe(
      2 + 10 * (1 + 2 + 10 * (1 + 1)),
    );
  });

  it('prices nodes(ids) by the number of ids and topTags by its limit', () => {
    expect(price(`{ nodes(ids: ["a", "b", "c"]) { id } }`)).toBe(3);
    expect(price(`{ stats { postCount topTags(limit: 5) { count tag { name } } } }`)).toBe(20 + 5 * (1 + 1));
  });

  it('never lets a negative first make the price negative', () => {
    expect(price(`{ posts(first: -5) { nodes { author { name } } } }`)).toBe(2);
  });

  it('prices introspection at 0', () => {
    expect(price(`{ __schema { types { name fields { name type { name ofType { name } } } } } __typename }`)).toBe(0);
  });

  it('prices a fragment like the fields it holds', () => {
    expect(price(`{ posts(first: 10) { nodes { ...P } } } fragment P on Post { author { name } }`)).toBe(2 + 10 * 2);
  });
});

describe('pricing what a query returns', () => {
  it('prices a body by its length bound: a full page of titles and bodies stays admitted', () => {
    expect(price(`{ posts(first: 100) { nodes { title body } } }`)).toBe(2 + 100 * (1 + 8));
    expect(price(`{ posts(first: 100) { nodes { title body } } }`)).toBeLessThanOrEqual(1000);
  });

  it('refuses nine aliased pages of bodies (90 MB of text at 100,000 characters a body)', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `p${i}: posts(first: 100) { nodes { body } }`).join(' ');
    expect(price(`{ ${nine} }`)).toBe(9 * (2 + 100 * (1 + 8)));
  });
});

describe('the price memo', () => {
  const query = `query Page($n: Int) { posts(first: $n) { nodes { id } } }`;

  it('keys on the declared variables only', () => {
    const document = parse(query);
    expect(priceKey(document, 'h', 'Page', { n: 3, padding: 'x'.repeat(10_000) })).toBe(priceKey(document, 'h', 'Page', { n: 3 }));
    expect(priceKey(document, 'h', 'Page', { n: 3 })).not.toBe(priceKey(document, 'h', 'Page', { n: 4 }));
  });

  it('remembers no key longer than MAX_PRICE_KEY_LENGTH', () => {
    const document = parse(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`);
    expect(priceKey(document, 'h', null, { ids: ['x'.repeat(MAX_PRICE_KEY_LENGTH)] })).toBeUndefined();
  });

  it('prices the same document again with new variables', () => {
    const document = parse(query);
    expect(priceOperation({ schema, document, operationName: 'Page', variables: { n: 3 }, queryHash: 'same' })).toBe(5);
    expect(priceOperation({ schema, document, operationName: 'Page', variables: { n: 100 }, queryHash: 'same' })).toBe(102);
    expect(priceOperation({ schema, document, operationName: 'Page', variables: { n: 3 }, queryHash: 'same' })).toBe(5);
  });

  it('keeps no variable the operation does not declare', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const document = parse(query);
    gc();
    const before = process.memoryUsage().heapUsed;
    // 64 requests of one document, each with a distinct 1 MB variable it never declares.
    for (let i = 0; i < 64; i++) {
      priceOperation({ schema, document, operationName: 'Page', variables: { n: 3, [`junk${i}`]: `${i}`.padEnd(1_000_000, 'x') }, queryHash: 'kept' });
    }
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
    expect(document.kind).toBe('Document'); // the document stays alive through the measurement
  });
});

describe('computeActualCost', () => {
  const actual = (query: string, data: unknown) => computeActualCost({ schema, document: parse(query), data });

  it('pays a connection for the items it returned: 3 of 100 asked', () => {
    const query = `{ posts(first: 100) { nodes { title } } }`;
    expect(price(query)).toBe(102);
    expect(actual(query, { posts: { nodes: [{ title: 'a' }, { title: 'b' }, { title: 'c' }] } })).toBe(2 + 3);
  });

  it('agrees with the estimate when every page is full', () => {
    const query = `{ authors(first: 2) { nodes { posts(first: 2) { edges { node { author { name } } } } } } }`;
    const edge = { node: { author: { name: 'x' } } };
    const data = { authors: { nodes: [{ posts: { edges: [edge, edge] } }, { posts: { edges: [edge, edge] } }] } };
    expect(actual(query, data)).toBe(price(query));
  });

  it('pays a bounded list (Post.tags) once, and what is under each item it returned', () => {
    const query = `{ post(id: "x") { tags { name posts(first: 5) { nodes { title } } } } }`;
    const tag = (titles: number) => ({ name: 't', posts: { nodes: Array.from({ length: titles }, () => ({ title: 'p' })) } });
    expect(actual(query, { post: { tags: [tag(5), tag(2), tag(0)] } })).toBe(1 + 1 + (2 + 5) + (2 + 2) + 2);
    expect(actual(query, { post: { tags: [] } })).toBe(1 + 1);
  });

  it('pays other lists per item (nodes by ids)', () => {
    const query = `{ nodes(ids: ["a", "b", "c"]) { id } }`;
    expect(actual(query, { nodes: [{ id: 'a' }, null, { id: 'c' }] })).toBe(3);
  });

  it('pays a key selected by two fragments once', () => {
    const query = `{ node(id: "x") { ... on Author { posts(first: 5) { nodes { id } } } ... on Tag { posts(first: 5) { nodes { id } } } } }`;
    expect(actual(query, { node: { posts: { nodes: [{ id: '1' }] } } })).toBe(1 + 2 + 1);
  });

  it('costs nothing without data', () => {
    expect(actual(`{ stats { postCount } }`, null)).toBe(0);
  });
});

describe('leaky bucket', () => {
  const shape = { size: 100, restoreRate: 10 };

  it('starts full, drains by the cost and refills at the restore rate up to the size', () => {
    expect(availableAt(undefined, 0, shape)).toBe(100);
    const drained = drain(undefined, 1000, shape, 70);
    expect(drained).toEqual({ available: 30, atMs: 1000 });
    expect(availableAt(drained, 3000, shape)).toBe(50);
    expect(availableAt(drained, 60_000, shape)).toBe(100);
  });

  it('never goes below empty and says when it is full again', () => {
    const empty = drain(undefined, 0, shape, 500);
    expect(empty.available).toBe(0);
    expect(toBudgetStatus(0, 0, shape).resetAtMs).toBe(10_000);
  });

  it('forgets the least recently seen client beyond its bound', async () => {
    let now = 0;
    const store = createMemoryBudgetStore(shape, 2, () => now);
    await store.reserve('a', 50);
    await store.reserve('b', 50);
    await store.reserve('c', 50);
    expect((await store.reserve('a', 0)).status.available).toBe(100);
    expect((await store.reserve('c', 0)).status.available).toBe(50);
    now = 1000;
    expect((await store.reserve('c', 0)).status.available).toBe(60);
  });
});

describe('memory budget store', () => {
  const shape = { size: 100, restoreRate: 10 };
  const at = (ms: number) => () => ms;

  it('reserves only what is there: of 50 concurrent reservations of 22, four are admitted', async () => {
    const store = createMemoryBudgetStore(shape, 10, at(0));
    const reservations = await Promise.all(Array.from({ length: 50 }, () => store.reserve('a', 22)));
    expect(reservations.filter((r) => r.admitted)).toHaveLength(4);
    expect(reservations.at(-1)).toMatchObject({ admitted: false, held: true, status: { available: 12 } });
  });

  it('takes nothing when it refuses, and refuses more than a full bucket', async () => {
    const store = createMemoryBudgetStore(shape, 10, at(0));
    expect((await store.reserve('a', 101)).admitted).toBe(false);
    expect((await store.reserve('a', 100)).admitted).toBe(true);
  });

  it('settles to the actual cost: gives back what was not spent, charges what was spent beyond', async () => {
    const store = createMemoryBudgetStore(shape, 10, at(0));
    await store.reserve('a', 60);
    expect((await store.settle('a', -45))?.available).toBe(85);
    expect((await store.settle('a', 30))?.available).toBe(55);
    // Never above full, never below empty.
    expect((await store.settle('a', -500))?.available).toBe(100);
    expect((await store.settle('a', 500))?.available).toBe(0);
  });
});
