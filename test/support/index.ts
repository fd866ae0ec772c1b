export { expectNoNPlusOne, expectSqlCount } from './expect-sql.ts';
export { createTestDatabase, TEST_SIZE, type TestDatabase } from './test-database.ts';
export { startTestServer, toResult, type ExecuteOptions, type GraphQLResult, type TestServer } from './test-server.ts';
