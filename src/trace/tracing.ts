import { instrumentResolvers } from './instrument-resolvers.ts';
import type { Telemetry } from './request-spans.ts';
import type { RequestTrace } from './request-trace.ts';
import { serverTiming } from './server-timing.ts';

/**
 * What the server installs to watch requests, decided once when it is built: a hook left out
 * costs nothing per request. The server runs TRACING; NO_TRACING exists for
 * bench/trace-overhead.ts alone, which measures what the hooks cost (pair it with a database
 * created without `observe`).
 */
export interface Tracing {
  /** What a request's database, cache and loader handles record into: its trace, or nothing. */
  forRequest(trace: RequestTrace): RequestTrace | undefined;
  /** Wraps resolvers to attribute SQL to fields and time them; absent, every build runs the bare resolvers. */
  readonly instrumentResolvers?: typeof instrumentResolvers;
  /** The Server-Timing header of a response; absent, no header. */
  readonly serverTiming?: typeof serverTiming;
  /** Whether a response may carry `extensions.trace` (the trace plugin is installed). */
  readonly showsTraces: boolean;
  /** OpenTelemetry, when configured: a server span per GraphQL request, and the spans of the sampled ones. */
  readonly telemetry?: Telemetry;
}

export const TRACING: Tracing = {
  forRequest: (trace) => trace,
  instrumentResolvers,
  serverTiming,
  showsTraces: true,
};

export const NO_TRACING: Tracing = {
  forRequest: () => undefined,
  showsTraces: false,
};
