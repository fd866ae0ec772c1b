import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ExplainMode } from '../trace/request-trace.ts';
import { header } from './request-header.ts';

function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The trace is shown in development, or in production to holders of the debug token. */
export function mayInspect(config: { readonly development: boolean; readonly debugToken: string | undefined }, request: FastifyRequest): boolean {
  return config.development || sameSecret(header(request, 'x-inkql-debug-token'), config.debugToken);
}

/** `X-Inkql-Explain: 1` adds plans to the trace's SELECTs; `analyze` also runs them with timing. */
export function explainMode(request: FastifyRequest): ExplainMode | undefined {
  const value = header(request, 'x-inkql-explain');
  if (value === '1') return 'plan';
  if (value === 'analyze') return 'analyze';
  return undefined;
}
