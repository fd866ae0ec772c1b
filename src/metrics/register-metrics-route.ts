import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/bearer-token.ts';
import { httpError } from '../http/http-error.ts';
import type { Metrics } from './create-metrics.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time (over digests, so lengths leak nothing either). */
function carriesToken(request: FastifyRequest, expected: Buffer): boolean {
  const token = bearerToken(request.headers.authorization);
  return token !== undefined && timingSafeEqual(digest(token), expected);
}

/**
 * `GET /metrics`, beside the GraphQL route rather than on it: a scrape runs no GraphQL and is not
 * counted as a request. With a token configured, a scrape without it is refused (401) in the one
 * error shape of every answer.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  const expected = token === undefined ? undefined : digest(token);
  app.get('/metrics', async (request, reply) => {
    if (expected && !carriesToken(request, expected)) {
      return httpError(
        reply.header('www-authenticate', 'Bearer realm="metrics"').header('cache-control', 'no-store'),
        401,
        'GET /metrics needs the header "Authorization: Bearer <token>" with the value of INKQL_METRICS_TOKEN',
        'UNAUTHENTICATED',
      );
    }
    const text = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
