// Bundled for the page of the cross-origin browser test (cross-origin.test.ts): Apollo Client as a
// frontend on another origin uses it, exposed on window for the test to call.
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';

const STATS = gql`
  query Stats {
    stats {
      postCount
    }
  }
`;

const CREATE = gql`
  mutation Create($input: CreatePostInput!) {
    createPost(input: $input) {
      post {
        id
        title
      }
    }
  }
`;

async function withApolloClient(uri: string, token: string, title: string) {
  const client = new ApolloClient({ link: new HttpLink({ uri, headers: { authorization: `Bearer ${token}` } }), cache: new InMemoryCache() });
  const read = await client.query<{ stats: { postCount: number } }>({ query: STATS });
  const written = await client.mutate<{ createPost: { post: { id: string; title: string } } }>({
    mutation: CREATE,
    variables: { input: { title, body: 'Written by Apollo Client from another origin.' } },
  });
  return { postCount: read.data?.stats.postCount, title: written.data?.createPost.post.title };
}

(window as unknown as { withApolloClient: typeof withApolloClient }).withApolloClient = withApolloClient;
