import { BUSY_LOAD_PER_CORE } from './busy-machine.ts';
import { type Measurement, ratioToBaseline } from './summarise.ts';
import type { TargetCheck } from './targets.ts';

// Pure: the Markdown report of one run.

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly postgres: string;
  readonly os: string;
  /** 1-minute load average when the run started: a busy machine makes every figure low and noisy. */
  readonly loadAverage: number;
}

export interface RunSettings {
  readonly date: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly repetitions: number;
  readonly full: boolean;
}

const num = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';

export const TABLE_HEADER =
  '| scenario | mode | posts | c | req/s | p50 ms | p90 ms | p99 ms | errors | SQL/req | server CPU ms/req | ratio |\n' +
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|';

export function tableRow(all: readonly Measurement[], m: Measurement): string {
  const ratio = ratioToBaseline(all, m);
  const ratioText = ratio === undefined ? '' : `${num(ratio, 2)}x ${m.baselineMode}`;
  const s = m.summary;
  return `| ${m.scenario} ${m.label} | ${m.mode} | ${num(m.posts)} | ${m.connections} | ${num(s.reqPerSec)} | ${num(s.p50, 1)} | ${num(s.p90, 1)} | ${num(s.p99, 1)} | ${s.errors} | ${m.sqlPerRequest ?? '-'} | ${num(m.cpuMsPerRequest, 2)} | ${ratioText} |`;
}

export function markdownTable(all: readonly Measurement[], rows: readonly Measurement[]): string {
  return [TABLE_HEADER, ...rows.map((m) => tableRow(all, m))].join('\n');
}

function passText(pass: boolean | undefined): string {
  return pass === undefined ? 'not measured' : pass ? 'pass' : 'FAIL';
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return ['| target | measured | result |', '|---|---|---|', ...checks.map((c) => `| ${c.target} | ${c.measured} | ${passText(c.pass)} |`)].join('\n');
}

export function machineLine(machine: MachineInfo): string {
  return `${machine.cores} cores (${machine.cpuModel}), ${num(machine.memoryGb, 1)} GB RAM, ${machine.os}, Node ${machine.node}, PostgreSQL ${machine.postgres}; load average ${num(machine.loadAverage, 2)} at start`;
}

export interface ReportInput {
  readonly machine: MachineInfo;
  readonly settings: RunSettings;
  readonly measurements: readonly Measurement[];
  readonly modeRows: readonly Measurement[];
  readonly scaleRows: readonly Measurement[];
  readonly checks: readonly TargetCheck[];
  readonly charts: { readonly modes: string; readonly scale: string };
  readonly notes: readonly string[];
  /** The PostGraphile comparison (Markdown: settings, busy-machine verdict, table), when it ran. */
  readonly comparison?: string;
}

export function renderReport(input: ReportInput): string {
  const { machine, settings } = input;
  return `# inkql bench, ${settings.date}

Machine: ${machineLine(machine)}.
Load generator (autocannon) and server (a separate process) share the machine's cores. Each row:
${settings.warmupSeconds} s warm-up, then ${settings.repetitions} x ${settings.durationSeconds} s; req/s and latencies are the median over the
repetitions; errors are every non-2xx, body mismatch (a GraphQL \`errors\` field or other data than the
checked reference response) and connection error of all repetitions: a row counts only with 0.
SQL/req comes from one traced request of the same scenario and mode. Server CPU ms/req is the server
process's CPU time (user + system) per completed request: the steadiest figure on a shared machine.
${input.comparison ? `\n## inkql beside PostGraphile 5\n\n${input.comparison}\n` : ''}
## Modes

${markdownTable(input.measurements, input.modeRows)}

![modes](${input.charts.modes})

## Scale curve

${markdownTable(input.measurements, input.scaleRows)}

![scale curve](${input.charts.scale})

## Targets

${targetsTable(input.checks)}
${input.notes.length > 0 ? `\n## Notes\n\n${input.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
}

export const PUBLISHED_START = '<!-- bench:start (written by npm run bench -- --publish) -->';
export const PUBLISHED_END = '<!-- bench:end -->';

export { BUSY_LOAD_PER_CORE };

/**
 * docs/performance.md's figures, from one run: the machine, the modes table and its chart, the
 * scale table and its chart, the targets and the notes. `input.charts` are paths from docs/.
 */
export function publishedBlock(input: ReportInput): string {
  const { machine } = input;
  const busy = machine.loadAverage > machine.cores * BUSY_LOAD_PER_CORE;
  return [
    PUBLISHED_START,
    `Run of ${input.settings.date.slice(0, 16).replace('T', ' ')} UTC on ${machineLine(machine)}.`,
    busy
      ? `**Provisional: the machine was busy (load average ${num(machine.loadAverage, 1)} on ${machine.cores} cores), so these figures are low and noisy; compare ratios, not absolute values.**`
      : '',
    '',
    ...(input.comparison ? [input.comparison, ''] : []),
    markdownTable(input.measurements, input.modeRows),
    '',
    `![requests per second by mode](${input.charts.modes})`,
    '',
    markdownTable(input.measurements, input.scaleRows),
    '',
    `![latency and SQL per request against data size](${input.charts.scale})`,
    '',
    targetsTable(input.checks),
    ...(input.notes.length > 0 ? ['', ...input.notes.map((n) => `- ${n}`)] : []),
    PUBLISHED_END,
  ].join('\n');
}

/** Replaces the block between the markers (the page unchanged when they are missing). */
export function replacePublishedBlock(page: string, block: string): string {
  const start = page.indexOf(PUBLISHED_START);
  const end = page.indexOf(PUBLISHED_END);
  if (start === -1 || end === -1 || end < start) return page;
  return page.slice(0, start) + block + page.slice(end + PUBLISHED_END.length);
}
