import { makeExecutableSchema } from '@graphql-tools/schema';
import { getOperationAST, GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createJitGateway } from '../../src/graphql/jit-gateway.ts';

const typeDefs = 'type Query { who: String! broken: String count(n: Int!): Int! }';
const schemaAnswering = (who: string) =>
  makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        who: () => who,
        broken: () => {
          throw new Error('disk on fire');
        },
        count: (_source: unknown, { n }: { n: number }) => n,
      },
    },
  });

async function executorOf(options: Parameters<typeof createJitGateway>[0]) {
  const gateway = createJitGateway(options);
  const { executor } = await gateway.load({ apollo: {} });
  if (!executor) throw new Error('no executor');
  return (query: string, context: Record<string, unknown> = {}, request: { operationName?: string; variables?: Record<string, unknown> } = {}) => {
    const document = parse(query);
    const operation = getOperationAST(document, request.operationName);
    return executor({
      document,
      operation,
      operationName: operation?.name?.value ?? null,
      request: { query, ...request },
      context,
    } as never);
  };
}

describe('createJitGateway', () => {
  it('runs each request on the schema schemaFor picks', async () => {
    const bare = schemaAnswering('bare');
    const watched = schemaAnswering('watched');
    const run = await executorOf({ schema: bare, schemaFor: (context) => (context.watched ? watched : bare) });
    expect(await run('{ who }')).toEqual({ data: { who: 'bare' } });
    expect(await run('{ who }', { watched: true })).toEqual({ data: { who: 'watched' } });
    expect(await run('{ who }')).toEqual({ data: { who: 'bare' } });
  });

  it('hands Apollo graphql-js errors, with extensions, locations and the cause', async () => {
    const run = await executorOf({ schema: schemaAnswering('bare') });
    const result = await run('{ who broken }');
    expect(result.data).toEqual({ who: 'bare', broken: null });
    const [error] = result.errors ?? [];
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error?.extensions).toEqual({});
    expect(error?.locations).toEqual([{ line: 1, column: 7 }]);
    expect(error?.path).toEqual(['broken']);
    expect(error?.originalError?.message).toBe('disk on fire');
  });

  it('leaves requests graphql-js refuses before running to graphql-js (unknown operation, bad variables)', async () => {
    const run = await executorOf({ schema: schemaAnswering('bare') });
    const unknown = await run('query A { who }', {}, { operationName: 'B' });
    expect(unknown.errors?.[0]?.message).toBe('Unknown operation named "B".');
    const coercion = await run('query C($n: Int!) { count(n: $n) }', {}, { variables: { n: 'many' } });
    expect(coercion.data).toBeUndefined();
    expect(coercion.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value "many"/);
    expect(coercion.errors?.[0]?.nodes?.[0]?.kind).toBe('VariableDefinition');
    expect(await run('query C($n: Int!) { count(n: $n) }', {}, { variables: { n: 3 } })).toEqual({ data: { count: 3 } });
  });
});
