import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** Debian's `prometheus` package (installed by .ci/run). */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export function hasPrometheus(): boolean {
  try {
    accessSync(PROMETHEUS_BINARY, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface PrometheusServer {
  /** Runs a PromQL instant query through the HTTP API; the vector's samples as [labels, value]. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  close(): Promise<void>;
}

export interface ScrapeTarget {
  /** host:port of the server to scrape. */
  readonly target: string;
  readonly bearerToken?: string;
}

/**
 * A real Prometheus on a free port, scraping `target`'s /metrics every second, with its
 * configuration and storage in a temporary directory of its own (removed on close).
 */
export async function startPrometheus({ target, bearerToken }: ScrapeTarget): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'inkql-prometheus-'));
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: inkql',
    '    metrics_path: /metrics',
    ...(bearerToken ? ['    authorization:', `      credentials: ${JSON.stringify(bearerToken)}`] : []),
    '    static_configs:',
    `      - targets: [${JSON.stringify(target)}]`,
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config + '\n');
  const child: ChildProcess = spawn(
    PROMETHEUS_BINARY,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`prometheus exited before it was ready: ${stderr}`);
    }
    const ready = await fetch(`${base}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prometheus was not ready within 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    query: async (promql) => {
      const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`prometheus refused ${promql}: ${body.error}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    close,
  };
}
