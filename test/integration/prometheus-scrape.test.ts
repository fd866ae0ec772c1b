import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPrometheus, PROMETHEUS_BINARY, type PrometheusServer, startPrometheus } from '../support/prometheus-server.ts';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from '../support/index.ts';

// A real Prometheus scrapes a real server every second, and the request rate of a named operation
// comes back through its HTTP API, as a dashboard or an alert would read it.

const TOKEN = 'prometheus-scrape-token';
const OPERATION = 'PostsForDashboard';

describe.skipIf(!hasPrometheus())(`scraped by Prometheus (skipped without ${PROMETHEUS_BINARY}: apt-get install prometheus)`, () => {
  let database: TestDatabase;
  let server: TestServer;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database, { metrics: { enabled: true, token: TOKEN } });
    prometheus = await startPrometheus({ target: new URL(server.url).host, bearerToken: TOKEN });
  });

  afterAll(async () => {
    await prometheus?.close();
    await server?.close();
    await database?.close();
  });

  it('reads the request rate of a named operation back through the Prometheus API', async () => {
    // Up, with the token: a refused scrape would leave `up` at 0.
    await expect.poll(async () => (await prometheus.query('up{job="inkql"}'))[0]?.value, { timeout: 30_000, interval: 500 }).toBe(1);
    // Requests spread over several scrapes, so the rate has samples to work on.
    let sent = 0;
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      const result = await server.execute(`query ${OPERATION} { posts(first: 2) { nodes { title } } }`, {}, { trace: false });
      expect(result.errors).toBeUndefined();
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const series = `inkql_graphql_request_duration_seconds_count{job="inkql",operation_name="${OPERATION}",operation_type="query",outcome="ok"}`;
    // Every request is counted once the next scrape has seen it.
    await expect.poll(async () => (await prometheus.query(series))[0]?.value, { timeout: 30_000, interval: 500 }).toBe(sent);
    const [rate] = await prometheus.query(`sum(rate(${series}[10s]))`);
    expect(rate!.value).toBeGreaterThan(0);
    // The rate of any other operation is no part of it: none was sent.
    expect(await prometheus.query(`inkql_graphql_request_duration_seconds_count{operation_name="Other"}`)).toEqual([]);
  });
});
