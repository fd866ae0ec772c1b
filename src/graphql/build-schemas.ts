import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../context.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import type { Resolvers } from '../resolvers/types.generated.ts';
import type { WatchedDefaults } from '../trace/instrument-resolvers.ts';
import type { Tracing } from '../trace/tracing.ts';

export const SCHEMA_PATH = new URL('schema.graphql', PROJECT_ROOT);

export interface Schemas {
  /** The bare build: what validation and introspection see, and what runs when nothing watches. */
  readonly schema: GraphQLSchema;
  /** The build a request runs on, by what its trace needs. */
  readonly schemaFor: (context: Context) => GraphQLSchema;
  /** The build a request runs when its trace is not shown: SQL attributed to fields (SQL comments, the N+1 watch). */
  readonly unshownSchema: GraphQLSchema;
}

/**
 * Four builds of one schema: bare; with SQL attributed to fields (every request's SQL comments and N+1 watch);
 * with root fields also timed beside the fields with resolvers (the everyday trace,
 * `X-Inkql-Trace: 1`, and the spans of a request OpenTelemetry samples); with every
 * field timed (`X-Inkql-Trace: resolvers`). A request runs the least that it needs. When the
 * tracing installs no resolver wrappers (the bench build without tracing hooks) all are the bare one.
 */
export function buildSchemas(resolvers: Resolvers, { tracing }: { tracing: Tracing }): Schemas {
  const typeDefs = readFileSync(SCHEMA_PATH, 'utf8');
  const schema = makeExecutableSchema({ typeDefs, resolvers: resolvers as never });
  const { instrumentResolvers } = tracing;
  const watched = (defaults: WatchedDefaults) =>
    instrumentResolvers ? makeExecutableSchema({ typeDefs, resolvers: instrumentResolvers(schema, resolvers, { defaults }) as never }) : schema;
  const attributedSchema = watched('none');
  const shownSchema = watched('roots');
  const everyFieldSchema = watched('all');
  return {
    schema,
    schemaFor: ({ trace }) =>
      trace.timesEveryField ? everyFieldSchema : trace.timesFields ? shownSchema : trace.attributesFields ? attributedSchema : schema,
    unshownSchema: attributedSchema,
  };
}
