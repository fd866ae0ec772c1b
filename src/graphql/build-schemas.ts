import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../context.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import type { Resolvers } from '../resolvers/types.generated.ts';
import { instrumentResolvers } from '../trace/instrument-resolvers.ts';

export const SCHEMA_PATH = new URL('schema.graphql', PROJECT_ROOT);

export interface Schemas {
  /** The bare build: what validation and introspection see, and what runs when nothing watches. */
  readonly schema: GraphQLSchema;
  /** The build a request runs on, by what its trace needs. */
  readonly schemaFor: (context: Context) => GraphQLSchema;
  /** The build a request runs when its trace is not shown: with SQL attributed to fields when `attributesFields`. */
  readonly unshownSchema: (attributesFields: boolean) => GraphQLSchema;
}

/**
 * Three builds of one schema: bare; with SQL attributed to fields (SQL comments, the SQL log);
 * with every field also timed (the trace). A request runs the least that it needs. Without
 * `tracing` (the bench build without tracing hooks) all three are the bare one.
 */
export function buildSchemas(resolvers: Resolvers, { tracing }: { tracing: boolean }): Schemas {
  const typeDefs = readFileSync(SCHEMA_PATH, 'utf8');
  const schema = makeExecutableSchema({ typeDefs, resolvers: resolvers as never });
  const watched = (everyField: boolean) =>
    tracing ? makeExecutableSchema({ typeDefs, resolvers: instrumentResolvers(schema, resolvers, { everyField }) as never }) : schema;
  const attributedSchema = watched(false);
  const timedSchema = watched(true);
  return {
    schema,
    schemaFor: ({ trace }) => (trace.shown ? timedSchema : trace.attributesFields ? attributedSchema : schema),
    unshownSchema: (attributesFields) => (attributesFields ? attributedSchema : schema),
  };
}
