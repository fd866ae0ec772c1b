import { buildSchema, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cacheControlHeader, computeCachePolicy } from '../../src/cache/cache-policy.ts';

const schema = buildSchema(`
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope) on FIELD_DEFINITION | OBJECT | INTERFACE
  type Query {
    posts: [Post!]! @cacheControl(maxAge: 60)
    post: Post
    me: Viewer
    budget: Budget
    version: String
  }
  type Mutation { touch: Post }
  type Post @cacheControl(maxAge: 30) { title: String author: Author score: Int @cacheControl(maxAge: 5) }
  type Author @cacheControl(maxAge: 20) { name: String }
  type Viewer @cacheControl(maxAge: 15, scope: PRIVATE) { name: String }
  type Budget { left: Int }
`);

function policyOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return computeCachePolicy(schema, document, operation);
}

describe('computeCachePolicy', () => {
  it("takes a field's hint over its type's, and lets scalars below inherit", () => {
    expect(policyOf(`{ posts { title } }`)).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });

  it('takes the smallest hint of any field, type hints included', () => {
    expect(policyOf(`{ posts { title author { name } } }`)).toEqual({ maxAge: 20, scope: 'PUBLIC' });
    expect(policyOf(`{ post { score } }`)).toEqual({ maxAge: 5, scope: 'PUBLIC' });
  });

  it('makes an unhinted object type or root scalar uncacheable', () => {
    expect(policyOf(`{ budget { left } }`).maxAge).toBe(0);
    expect(policyOf(`{ version }`).maxAge).toBe(0);
  });

  it('makes a response private when one field is', () => {
    expect(policyOf(`{ posts { title } me { name } }`)).toEqual({ maxAge: 15, scope: 'PRIVATE' });
  });

  it('never caches a mutation, even one returning a hinted type', () => {
    expect(policyOf(`mutation { touch { title } }`).maxAge).toBe(0);
  });

  it('counts the fields of fragments where they are spread, nested ones too', () => {
    expect(policyOf(`{ posts { ...P } } fragment P on Post { title author { ...A } } fragment A on Author { name }`).maxAge).toBe(20);
    expect(policyOf(`{ ...Q } fragment Q on Query { posts { title } budget { left } }`).maxAge).toBe(0);
  });
});

describe('cacheControlHeader', () => {
  it('asks for revalidation on every use when maxAge is 0', () => {
    expect(cacheControlHeader({ maxAge: 0, scope: 'PUBLIC' }, false)).toBe('no-cache, public');
  });

  it('keeps a positive maxAge', () => {
    expect(cacheControlHeader({ maxAge: 10, scope: 'PUBLIC' }, false)).toBe('max-age=10, public');
  });

  it('is private for per-client responses and PRIVATE hints', () => {
    expect(cacheControlHeader({ maxAge: 10, scope: 'PUBLIC' }, true)).toBe('max-age=10, private');
    expect(cacheControlHeader({ maxAge: 0, scope: 'PRIVATE' }, false)).toBe('no-cache, private');
  });
});
