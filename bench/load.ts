import autocannon from 'autocannon';
import type { RunResult } from './summarise.ts';

/** One HTTP request as the load generator sends it: a GraphQL POST with fixed headers and body. */
export interface LoadRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** Whether a response body is right: anything else counts as an error (autocannon `mismatches`). */
  readonly verifyBody: (body: string) => boolean;
  /** Requests each connection sends in turn, over and over, instead of `body` alone (a mixed load). */
  readonly sequence?: readonly { readonly body: string; readonly headers: Record<string, string> }[];
  /** A new body for every request instead of `body` (e.g. a fresh variable, so no two share a cache key). */
  readonly bodyFor?: () => string;
}

export interface LoadOptions {
  readonly connections: number;
  /** How long to load; or `amount`: how many requests to send. */
  readonly durationSeconds?: number;
  readonly amount?: number;
  /** With `amount`: stop after this long even if not all were sent (a warm-up on a busy machine). */
  readonly maxSeconds?: number;
  /** Called every ~200 ms while the load runs (e.g. to sample the server's RSS). */
  readonly onSample?: () => void;
}

const SAMPLE_MS = 200;

export async function runLoad(request: LoadRequest, options: LoadOptions): Promise<RunResult> {
  const sampler = options.onSample ? setInterval(options.onSample, SAMPLE_MS) : undefined;
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: request.url,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...request.headers },
          body: request.body,
          ...(request.bodyFor
            ? { requests: [{ method: 'POST' as const, setupRequest: (sent: object) => ({ ...sent, body: request.bodyFor!() }) }] }
            : {}),
          ...(request.sequence
            ? {
                requests: request.sequence.map((step) => ({
                  method: 'POST' as const,
                  headers: { 'content-type': 'application/json', ...request.headers, ...step.headers },
                  body: step.body,
                })),
              }
            : {}),
          connections: options.connections,
          ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds }),
          verifyBody: (body) => request.verifyBody(typeof body === 'string' ? body : String(body ?? '')),
        },
        (error, result) => {
          clearTimeout(limit);
          if (error) reject(error);
          else resolve(result);
        },
      );
      const limit = options.maxSeconds === undefined ? undefined : setTimeout(() => instance.stop(), options.maxSeconds * 1000);
    });
    return {
      requests: result.requests.total,
      reqPerSec: result.requests.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      mismatches: result.mismatches,
      errors: result.errors + result.timeouts,
    };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}

export interface ProbeResult {
  readonly status: number;
  readonly text: string;
  readonly json: any;
}

/** One request outside the load, whose response is checked in full. */
export async function probe(request: Omit<LoadRequest, 'verifyBody'>): Promise<ProbeResult> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}
