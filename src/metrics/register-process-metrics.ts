import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';

/** prom-client's default collectors this server leaves out, and why. */
const LEFT_OUT = new Set([
  // nodejs_gc_duration_seconds: a PerformanceObserver that runs a JavaScript callback (and a
  // histogram update) after every garbage collection, the one default that costs while serving.
  'gc',
]);

type Collector = (registry: Registry, config: { eventLoopMonitoringPrecision: number }) => void;

/**
 * The process metrics (`process_*`, `nodejs_*`): prom-client's defaults, each of which reads its
 * figures when scraped (CPU, memory, heap by space, handles, event loop lag from Node's own
 * delay histogram), except the per-collection GC histogram; and the event loop's utilization
 * since the last scrape in its place, which counts the time garbage collection holds the loop.
 */
export function registerProcessMetrics(registry: Registry): void {
  // prom-client keeps each default in a file of its own and has no switch for leaving one out.
  const require = createRequire(import.meta.url);
  for (const name of collectDefaultMetrics.metricsList) {
    if (!LEFT_OUT.has(name)) (require(`prom-client/lib/metrics/${name}`) as Collector)(registry, { eventLoopMonitoringPrecision: 10 });
  }
  let since = performance.eventLoopUtilization();
  new Gauge({
    name: 'nodejs_eventloop_utilization_ratio',
    help: 'Share of the time since the last scrape that the event loop was busy (running JavaScript, garbage collection included)',
    registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, since).utilization);
      since = now;
    },
  });
}
