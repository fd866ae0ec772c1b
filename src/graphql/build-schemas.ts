import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../context.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import type { Resolvers } from '../resolvers/types.generated.ts';
import type { Tracing } from '../trace/tracing.ts';

export const SCHEMA_PATH = new URL('schema.graphql', PROJECT_ROOT);

export interface Schemas {
  /** The bare build: what validation and introspection see, and what runs when nothing watches. */
  readonly schema: GraphQLSchema;
  /** The build a request runs on, by what its trace needs. */
  readonly schemaFor: (context: Context) => GraphQLSchema;
}

/**
 * Three builds of one schema: bare; with SQL attributed to fields (SQL comments, the SQL log);
 * with every field also timed (the trace). A request runs the least that it needs. When the
 * tracing installs no resolver wrappers (the bench build without tracing hooks) all three are the bare one.
 */
export function buildSchemas(resolvers: Resolvers, { tracing }: { tracing: Tracing }): Schemas {
  const typeDefs = readFileSync(SCHEMA_PATH, 'utf8');
  const schema = makeExecutableSchema({ typeDefs, resolvers: resolvers as never });
  const { instrumentResolvers } = tracing;
  const watched = (everyField: boolean) =>
    instrumentResolvers ? makeExecutableSchema({ typeDefs, resolvers: instrumentResolvers(schema, resolvers, { everyField }) as never }) : schema;
  const attributedSchema = watched(false);
  const timedSchema = watched(true);
  return {
    schema,
    schemaFor: ({ trace }) => (trace.shown ? timedSchema : trace.attributesFields ? attributedSchema : schema),
  };
}
