import type * as Api from '@opentelemetry/api';
import type { TelemetryConfig } from '../config.ts';
import type { RequestTelemetry, Telemetry } from '../trace/request-spans.ts';
import type { OtelModules } from './otel-modules.ts';
import { OtelRequestSpans } from './otel-request-spans.ts';

/**
 * Every field that put a key in a batch is one link of its span: bounded by what one response may
 * hold (the cost limit), above the SDK's default of 128.
 */
export const MAX_SPAN_LINKS = 1024;

/**
 * How long shutdown waits for the last spans to reach the collector: a collector that does not
 * answer must not hold the process past its shutdown grace period (INKQL_SHUTDOWN_GRACE_MS).
 */
export const SPAN_FLUSH_TIMEOUT_MS = 2000;

/** The route the server span names (`POST /graphql`): GraphQL requests are its only spans. */
const headerGetter: Api.TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key.toLowerCase()],
};

function createSampler({ sdk }: OtelModules, { sampler, samplerArg }: TelemetryConfig): Api.Sampler {
  const base = sampler.replace(/^parentbased_/, '');
  const root = base === 'always_off' ? new sdk.AlwaysOffSampler() : base === 'traceidratio' ? new sdk.TraceIdRatioBasedSampler(samplerArg) : new sdk.AlwaysOnSampler();
  return sampler.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
}

/** A tracer provider exporting over OTLP/HTTP (JSON) in batches, and the server span of each GraphQL request. */
export function createOtelTelemetry(modules: OtelModules, config: TelemetryConfig): Telemetry {
  const { api, core, resources, sdk, exporter, conventions } = modules;
  const endpoint = config.endpoint!;
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ [conventions.ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: createSampler(modules, config),
    spanLimits: { linkCountLimit: MAX_SPAN_LINKS },
    spanProcessors: [new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter({ url: new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href }))],
  });
  const tracer = provider.getTracer('inkql');
  const propagator = new core.W3CTraceContextPropagator();
  return {
    startRequest(method, route, headers): RequestTelemetry {
      const incoming = propagator.extract(api.ROOT_CONTEXT, headers, headerGetter);
      const startedAt = performance.now();
      const span = tracer.startSpan(
        `${method} ${route}`,
        {
          kind: api.SpanKind.SERVER,
          startTime: startedAt,
          attributes: { [conventions.ATTR_HTTP_REQUEST_METHOD]: method, [conventions.ATTR_HTTP_ROUTE]: route, [conventions.ATTR_URL_PATH]: route },
        },
        incoming,
      );
      const context = span.spanContext();
      const flags = (context.traceFlags & api.TraceFlags.SAMPLED) === api.TraceFlags.SAMPLED ? '01' : '00';
      const spans = span.isRecording() ? new OtelRequestSpans(modules, tracer, span) : undefined;
      return {
        spans,
        traceId: context.traceId,
        traceresponse: `00-${context.traceId}-${context.spanId}-${flags}`,
        end(statusCode, error) {
          if (!spans) return;
          span.setAttribute(conventions.ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
          if (statusCode >= 500 || error !== undefined) {
            span.setStatus({ code: api.SpanStatusCode.ERROR });
            span.setAttribute(conventions.ATTR_ERROR_TYPE, error instanceof Error ? error.name : String(statusCode));
          }
          span.end(performance.now());
        },
      };
    },
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, SPAN_FLUSH_TIMEOUT_MS)));
      try {
        await Promise.race([provider.shutdown(), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
