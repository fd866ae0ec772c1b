// The operations the explorer opens with, one tab each. They teach what inkql is about: the first
// one is the N+1 demonstration the trace panel and the "batching off" toggle are built around.

export interface Example {
  readonly query: string;
  readonly variables?: string;
  readonly headers?: string;
  readonly title: string;
}

/** Stands for a token in the mutation example until examplesFor() puts a real one there. */
export const TOKEN_PLACEHOLDER = '<token from npm run token -- --author 1>';

export const N_PLUS_ONE_EXAMPLE = /* GraphQL */ `# N+1 demonstration: 20 posts, each with its author and tags.
# Batched: 1 SQL statement (the page reads authors and tags along). Tick "batching off" in the
# Trace panel: 1 + 20 + 20 = 41.
query PostsWithAuthorsAndTags {
  posts(first: 20) {
    nodes {
      id
      title
      author { id name }
      tags { id name }
    }
  }
}
`;

export const EXAMPLES: readonly Example[] = [
  { title: 'N+1 demonstration', query: N_PLUS_ONE_EXAMPLE },
  {
    title: 'Nested pagination',
    query: /* GraphQL */ `# Authors -> their latest posts -> tags: one statement per level, whatever the page sizes.
query AuthorsPostsTags($authors: Int = 10, $posts: Int = 5, $after: String) {
  authors(first: $authors, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      posts(first: $posts) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id title tags { name } }
      }
    }
  }
}
`,
    variables: JSON.stringify({ authors: 10, posts: 5 }, null, 2),
  },
  {
    title: 'Stats (cached)',
    query: /* GraphQL */ `# The deliberately expensive aggregate: computed from whole tables, then cached.
# Run it twice: the second run needs no SQL.
query Stats {
  stats {
    postCount
    authorCount
    tagCount
    totalWords
    topTags(limit: 5) { count tag { name } }
    computedAt
  }
}
`,
  },
  {
    title: 'Create a post',
    query: /* GraphQL */ `# Mutations need an author's token in the Headers tab below: "Authorization": "Bearer <token>".
# A development server fills in its demo token (author 1); npm run token -- --author N prints others.
mutation CreatePost($input: CreatePostInput!) {
  createPost(input: $input) {
    post { id title }
  }
}
`,
    variables: JSON.stringify({ input: { title: 'Hello from the explorer', body: 'Written in GraphiQL.', tags: ['graphql'] } }, null, 2),
    headers: JSON.stringify({ Authorization: `Bearer ${TOKEN_PLACEHOLDER}` }, null, 2),
  },
  {
    title: 'Over the cost limit',
    query: /* GraphQL */ `# 100 authors x 100 posts x their tags is priced far above the maximum:
# rejected with QUERY_TOO_COMPLEX before any SQL runs.
query TooExpensive {
  authors(first: 100) {
    nodes {
      name
      posts(first: 100) { nodes { title tags { name } } }
    }
  }
}
`,
  },
];

/** The examples, with a development server's demo token in place of the placeholder. */
export function examplesFor(demoToken: string | undefined): readonly Example[] {
  if (!demoToken) return EXAMPLES;
  return EXAMPLES.map((example) => (example.headers ? { ...example, headers: example.headers.replace(TOKEN_PLACEHOLDER, demoToken) } : example));
}
