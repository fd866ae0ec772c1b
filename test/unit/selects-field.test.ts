import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BODY_FIELDS, selectsField } from '../../src/resolvers/selects-field.ts';

const schema = buildSchema(`
  type Query { posts: PostConnection }
  type PostConnection { nodes: [Post] edges: [PostEdge] }
  type PostEdge { node: Post }
  type Post { id: ID title: String body: String excerpt(words: Int): String author: Author }
  type Author { name: String posts: PostConnection }
`);

/** Runs `query` and reports what selectsField said for Query.posts. */
async function selectsBody(query: string): Promise<boolean> {
  let answer: boolean | undefined;
  const rootValue = {
    posts: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      answer = selectsField(info, BODY_FIELDS);
      return null;
    },
  };
  const result = await graphql({ schema, source: query, rootValue });
  expect(result.errors).toBeUndefined();
  if (answer === undefined) throw new Error('Query.posts did not run');
  return answer;
}

describe('selectsField', () => {
  it('says no when no body field is selected', async () => {
    expect(await selectsBody('{ posts { nodes { id title author { name } } } }')).toBe(false);
  });

  it('finds body and excerpt at any depth', async () => {
    expect(await selectsBody('{ posts { nodes { body } } }')).toBe(true);
    expect(await selectsBody('{ posts { edges { node { excerpt(words: 3) } } } }')).toBe(true);
  });

  it('finds them through inline fragments and named fragments, also nested ones', async () => {
    expect(await selectsBody('{ posts { nodes { ... on Post { body } } } }')).toBe(true);
    expect(await selectsBody('{ posts { nodes { ...P } } } fragment P on Post { ...Q } fragment Q on Post { excerpt }')).toBe(true);
    expect(await selectsBody('{ posts { nodes { ...P } } } fragment P on Post { title }')).toBe(false);
  });

  it('finds them through an alias, which renames the response key and not the field', async () => {
    expect(await selectsBody('{ posts { nodes { text: body } } }')).toBe(true);
  });

  it('looks at every field node merged into the field', async () => {
    expect(await selectsBody('{ posts { nodes { id } } posts { nodes { body } } }')).toBe(true);
  });

  it('survives fragments that spread each other more than once', async () => {
    expect(await selectsBody('{ posts { nodes { ...P ...P } edges { node { ...P } } } } fragment P on Post { title }')).toBe(false);
  });
});
