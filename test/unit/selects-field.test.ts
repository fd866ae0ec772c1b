import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedAuthorColumns, selectedPostColumns } from '../../src/resolvers/selected-columns.ts';
import { selectsField } from '../../src/resolvers/selects-field.ts';

const BODY_FIELDS = new Set(['body', 'excerpt']);

const schema = buildSchema(`
  type Query { posts: PostConnection }
  type PostConnection { nodes: [Post] edges: [PostEdge] }
  type PostEdge { node: Post }
  type Post {
    id: ID title: String body: String excerpt(words: Int): String author: Author
    wordCount: Int readingTimeMinutes: Int updatedAt: String createdAt: String
  }
  type Author { name: String bio: String createdAt: String posts: PostConnection }
`);

/** Runs `query` and reports what `ask` said about Query.posts's resolve info. */
async function askPosts<T>(query: string, ask: (info: GraphQLResolveInfo) => T): Promise<T> {
  let answer: { value: T } | undefined;
  const rootValue = {
    posts: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      answer = { value: ask(info) };
      return null;
    },
  };
  const result = await graphql({ schema, source: query, rootValue });
  expect(result.errors).toBeUndefined();
  if (answer === undefined) throw new Error('Query.posts did not run');
  return answer.value;
}

const selectsBody = (query: string) => askPosts(query, (info) => selectsField(info, BODY_FIELDS));

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

describe('selected columns', () => {
  it('asks for no optional posts column when the query reads none', async () => {
    expect(await askPosts('{ posts { nodes { id title createdAt author { name } } } }', selectedPostColumns)).toEqual([]);
  });

  it('names each optional posts column a selected field reads, in one fixed order', async () => {
    expect(await askPosts('{ posts { nodes { updatedAt excerpt readingTimeMinutes } } }', selectedPostColumns)).toEqual([
      'body',
      'word_count',
      'updated_at',
    ]);
    expect(await askPosts('{ posts { edges { node { ...P } } } } fragment P on Post { wordCount }', selectedPostColumns)).toEqual(['word_count']);
  });

  it('names the optional authors columns read below the field', async () => {
    expect(await askPosts('{ posts { nodes { author { name } } } }', selectedAuthorColumns)).toEqual([]);
    expect(await askPosts('{ posts { nodes { author { createdAt bio } } } }', selectedAuthorColumns)).toEqual(['bio', 'created_at']);
  });
});
