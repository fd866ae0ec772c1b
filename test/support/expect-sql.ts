import { expect } from 'vitest';
import type { GraphQLResult, TestServer } from './test-server.ts';

function listStatements(result: GraphQLResult): string {
  return result.trace.sql.statements
    .map((s) => `${s.field ?? '-'} ${s.loader ?? '-'}: ${s.sql.slice(0, 120)}`)
    .join('\n');
}

async function executeTraced(
  server: TestServer,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResult> {
  const result = await server.execute(query, variables, { headers });
  expect(result.errors, 'the operation must succeed').toBeUndefined();
  expect(result.trace, 'the response must carry extensions.trace').toBeDefined();
  return result;
}

/**
 * Django's assertNumQueries for GraphQL: runs the operation and asserts exactly `count` SQL
 * statements ran for it, showing them when the count is off. Returns the result for more checks.
 */
export async function expectSqlCount(
  server: TestServer,
  query: string,
  count: number,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResult> {
  const result = await executeTraced(server, query, variables, headers);
  expect(result.trace.sql.count, `SQL statements:\n${listStatements(result)}`).toBe(count);
  expect(result.trace.sql.statements).toHaveLength(count);
  return result;
}

/**
 * Runs the operation and asserts the trace found no N+1 suspect: no field issued the same
 * statement twice. Shows the suspects and all statements when it did.
 */
export async function expectNoNPlusOne(
  server: TestServer,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResult> {
  const result = await executeTraced(server, query, variables, headers);
  const suspects = result.trace.nPlusOne.map((g) => `${g.field} x${g.count}`);
  expect(result.trace.nPlusOne, `N+1 suspects: ${suspects.join(', ')}\nSQL statements:\n${listStatements(result)}`).toEqual([]);
  return result;
}
