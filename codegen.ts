import type { CodegenConfig } from '@graphql-codegen/cli';

// Resolver types from schema.graphql. Mappers point GraphQL types at the rows resolvers really
// receive, so Post.author is typed with a PostRow (author_id), not a GraphQL Post.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'src/resolvers/types.generated.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        importExtension: '.ts',
        contextType: '../context.ts#Context',
        mappers: {
          Post: '../db/types.ts#PostRow',
          Author: '../db/types.ts#AuthorRow',
          Tag: '../db/types.ts#TagRow',
          PostConnection: '../pagination/to-connection.ts#Connection<PostRow>',
          AuthorConnection: '../pagination/to-connection.ts#Connection<AuthorRow>',
          TagConnection: '../pagination/to-connection.ts#Connection<TagRow>',
          PostEdge: '../pagination/to-connection.ts#Edge<PostRow>',
          AuthorEdge: '../pagination/to-connection.ts#Edge<AuthorRow>',
          TagEdge: '../pagination/to-connection.ts#Edge<TagRow>',
          BlogStats: '../db/compute-stats.ts#StatsSnapshot',
          TagCount: '../db/compute-stats.ts#TagCountRow',
        },
        scalars: { DateTime: 'Date', ID: 'string' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        maybeValue: 'T | null',
        inputMaybeValue: 'T | null | undefined',
      },
    },
  },
};

export default config;
