import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.ts';
import type { TrustedEntry } from '../../src/documents/read-trusted-manifest.ts';
import { buildSchemas } from '../../src/graphql/build-schemas.ts';
import { prepareTrustedDocuments } from '../../src/graphql/trusted-documents.ts';
import { priceOperation } from '../../src/limits/price-operation.ts';
import { resolvers } from '../../src/resolvers/index.ts';
import { NO_TRACING } from '../../src/trace/tracing.ts';

const limitsAndPosture = ({ limits, development }: Config) => ({ limits, development });

const { schema } = buildSchemas(resolvers, { tracing: NO_TRACING });
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const entry = (body: string, id = `sha256:${sha(body)}`): TrustedEntry => ({ id, body, hash: sha(body) });

const POSTS = 'query Posts($n: Int = 5) { posts(first: $n) { nodes { title } } }';
const TWO = 'query One { __typename } query Two { tags(first: 1) { nodes { name } } }';
const COSTLY = 'query Costly { posts(first: 100) { nodes { title tags { name } author { name } } } }';

function prepare(entries: TrustedEntry[], env: Record<string, string> = {}) {
  const compiled: [string, string | null][] = [];
  const warnings: string[] = [];
  const documents = prepareTrustedDocuments({
    file: 'manifest.json',
    entries,
    schema,
    ...limitsAndPosture(loadConfig({ INKQL_TRUSTED_DOCUMENTS: 'manifest.json', INKQL_TRUSTED_DOCUMENTS_MODE: 'enforce', ...env })),
    compile: (document, operationName) => compiled.push([sha(document.loc!.source.body), operationName]),
    logger: { warn: ((_: unknown, message: string) => warnings.push(message)) as never },
  });
  return { documents, compiled, warnings };
}

describe('prepareTrustedDocuments', () => {
  it('compiles every operation of every document and pins the parsed document by its hash', () => {
    const { documents, compiled } = prepare([entry(POSTS), entry(TWO, 'two')]);
    expect(compiled).toEqual([
      [sha(POSTS), 'Posts'],
      [sha(TWO), 'One'],
      [sha(TWO), 'Two'],
    ]);
    expect([...documents.documents.keys()]).toEqual([sha(POSTS), sha(TWO)]);
    expect(documents.find(`sha256:${sha(POSTS)}`)?.document).toBe(documents.documents.get(sha(POSTS)));
  });

  it('finds a hash id in either spelling, and a custom id only as written', () => {
    const { documents } = prepare([entry(POSTS), entry(TWO, 'two')]);
    expect(documents.find(sha(POSTS))?.body).toBe(POSTS);
    expect(documents.find(`sha256:${sha(POSTS)}`)?.body).toBe(POSTS);
    expect(documents.find('two')?.body).toBe(TWO);
    expect(documents.find(sha(TWO))).toBeUndefined();
    expect(documents.textOf(sha(TWO))).toBe(TWO);
  });

  it("remembers each document's price with its variables' defaults, as the cost plugin will ask for it", () => {
    prepare([entry(POSTS)]);
    const price = priceOperation({ schema, document: parse(POSTS), operationName: 'Posts' });
    // The same key (hash, operation, no variables) with a document that would price otherwise: the remembered price answers.
    const remembered = priceOperation({ schema, document: parse('query Posts { __typename }'), operationName: 'Posts', queryHash: sha(POSTS) });
    expect(remembered).toBe(price);
    expect(price).toBeGreaterThan(1);
  });

  it('logs a document over the limits outside production and does not prepare it', () => {
    const { documents, compiled, warnings } = prepare([entry(COSTLY), entry(POSTS)], { INKQL_MAX_COST: '150' });
    expect(compiled).toEqual([[sha(POSTS), 'Posts']]);
    expect([...documents.documents.keys()]).toEqual([sha(POSTS)]);
    expect(warnings).toEqual([expect.stringMatching(/^trusted document Costly is over the limits \(Costly costs \d+, over the maximum of 150/)]);
  });

  it('refuses in production under enforce a document that could never run', () => {
    expect(() => prepare([entry(COSTLY)], { NODE_ENV: 'production', INKQL_MAX_COST: '150' })).toThrow(
      `trusted documents manifest manifest.json, entry "sha256:${sha(COSTLY)}": Costly is over the limits`,
    );
  });

  it('prices a required variable without a default as absent (the default page size)', () => {
    const required = 'query Required($n: Int!) { posts(first: $n) { nodes { title } } }';
    expect(() => prepare([entry(required)], { NODE_ENV: 'production' })).not.toThrow();
  });

  it('refuses introspection in a trusted document when introspection is off', () => {
    const introspection = 'query Types { __schema { types { name } } }';
    expect(() => prepare([entry(introspection)], { NODE_ENV: 'production' })).toThrow('Types is over the limits');
  });
});
