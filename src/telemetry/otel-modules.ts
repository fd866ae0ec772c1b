import type * as Api from '@opentelemetry/api';
import type * as Core from '@opentelemetry/core';
import type * as ExporterModule from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as Sdk from '@opentelemetry/sdk-trace-base';
import type * as Conventions from '@opentelemetry/semantic-conventions';
import type * as Incubating from '@opentelemetry/semantic-conventions/incubating';

/** The OpenTelemetry packages, loaded by start-telemetry.ts only when telemetry is configured. */
export interface OtelModules {
  readonly api: typeof Api;
  readonly core: typeof Core;
  readonly resources: typeof Resources;
  readonly sdk: typeof Sdk;
  readonly exporter: typeof ExporterModule;
  readonly conventions: typeof Conventions;
  readonly incubating: typeof Incubating;
}
