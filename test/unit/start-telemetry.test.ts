import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startTelemetry } from '../../src/telemetry/start-telemetry.ts';

// OpenTelemetry costs a server without OTEL_EXPORTER_OTLP_ENDPOINT nothing: none of its packages
// is loaded. The server bundle (built by the tests' global setup, as npm start builds it) may
// reach them only through the dynamic imports of startTelemetry.

const BUNDLE = fileURLToPath(new URL('../../dist/inkql.js', import.meta.url));

describe('startTelemetry', () => {
  it('starts nothing without an endpoint', async () => {
    expect(await startTelemetry(loadConfig({}).telemetry)).toBeUndefined();
  });

  it('leaves the OpenTelemetry packages out of the bundle, except as dynamic imports', () => {
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle).not.toMatch(/^\s*import\s[^(]*["']@opentelemetry\//m);
    expect(bundle.match(/import\("@opentelemetry\/[^"]+"\)/g)?.length).toBeGreaterThan(0);
  });
});
