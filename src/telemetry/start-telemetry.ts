import type { TelemetryConfig } from '../config.ts';
import type { Telemetry } from '../trace/request-spans.ts';
import { createOtelTelemetry } from './otel-telemetry.ts';

/**
 * OpenTelemetry, when OTEL_EXPORTER_OTLP_ENDPOINT names a collector: its packages are imported
 * here and nowhere else (otel-telemetry.ts only names their types), so a server without the
 * variable loads none of them and its requests carry no span listener at all.
 */
export async function startTelemetry(config: TelemetryConfig): Promise<Telemetry | undefined> {
  if (!config.endpoint) return undefined;
  const [api, core, resources, sdk, exporter, conventions, incubating] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/semantic-conventions'),
    import('@opentelemetry/semantic-conventions/incubating'),
  ]);
  return createOtelTelemetry({ api, core, resources, sdk, exporter, conventions, incubating }, config);
}
