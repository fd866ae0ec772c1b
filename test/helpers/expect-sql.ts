import { expect } from 'vitest';
import type { GraphQLResult, TestServer } from './test-server.ts';

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
  const result = await server.execute(query, variables, { headers });
  expect(result.errors, 'the operation must succeed').toBeUndefined();
  expect(result.trace, 'the response must carry extensions.trace').toBeDefined();
  const statements = result.trace.sql.statements.map((s: { sql: string; loader?: string }) => `${s.loader ?? '-'}: ${s.sql.slice(0, 120)}`);
  expect(result.trace.sql.count, `SQL statements:\n${statements.join('\n')}`).toBe(count);
  expect(result.trace.sql.statements).toHaveLength(count);
  return result;
}
