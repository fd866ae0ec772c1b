import type { ReportInput } from './report.ts';
import { publishedBlock, renderReport, replacePublishedBlock } from './report.ts';

// What a bench run writes, and where. Every run's files stay under bench/results/ (ignored by
// git); docs/performance.md and its two charts change only with --publish, so a quick or partial
// run on a busy laptop never rewrites the figures users read.

export const RESULTS_DIR = 'bench/results';
export const PERFORMANCE_DOC = 'docs/performance.md';
/** The published charts, beside the page that shows them. */
export const PUBLISHED_CHARTS = { modes: 'docs/performance-modes.svg', scale: 'docs/performance-scale.svg' } as const;

export interface RunFile {
  /** From the repository's root. */
  readonly path: string;
  readonly content: string;
}

export interface RunOutputs {
  /** The run's start, as in its file names (`2026-11-26T02-06`). */
  readonly stamp: string;
  /** The report's input without its chart paths (each report points at its own copies). */
  readonly report: Omit<ReportInput, 'charts'>;
  readonly modesSvg: string;
  readonly scaleSvg: string;
  readonly publish: boolean;
  /** docs/performance.md as it is now (read only when publishing). */
  readonly performanceDoc?: string;
}

/** The files a run writes: its own dated set and `latest.*` under bench/results/, and with `publish` the page and its charts. */
export function runFiles({ stamp, report, modesSvg, scaleSvg, publish, performanceDoc }: RunOutputs): RunFile[] {
  const files: RunFile[] = [
    { path: `${RESULTS_DIR}/${stamp}-modes.svg`, content: modesSvg },
    { path: `${RESULTS_DIR}/${stamp}-scale.svg`, content: scaleSvg },
    { path: `${RESULTS_DIR}/${stamp}-report.md`, content: renderReport({ ...report, charts: { modes: `${stamp}-modes.svg`, scale: `${stamp}-scale.svg` } }) },
    { path: `${RESULTS_DIR}/latest-modes.svg`, content: modesSvg },
    { path: `${RESULTS_DIR}/latest-scale.svg`, content: scaleSvg },
    { path: `${RESULTS_DIR}/latest.md`, content: renderReport({ ...report, charts: { modes: 'latest-modes.svg', scale: 'latest-scale.svg' } }) },
  ];
  if (!publish) return files;
  if (performanceDoc === undefined) throw new Error(`publishing needs ${PERFORMANCE_DOC}'s current text`);
  const fromDocs = (path: string) => path.slice('docs/'.length);
  const block = publishedBlock({ ...report, charts: { modes: fromDocs(PUBLISHED_CHARTS.modes), scale: fromDocs(PUBLISHED_CHARTS.scale) } });
  const updated = replacePublishedBlock(performanceDoc, block);
  if (updated === performanceDoc && !performanceDoc.includes(block)) throw new Error(`${PERFORMANCE_DOC} has no bench:start/bench:end markers to publish between`);
  return [
    ...files,
    { path: PUBLISHED_CHARTS.modes, content: modesSvg },
    { path: PUBLISHED_CHARTS.scale, content: scaleSvg },
    { path: PERFORMANCE_DOC, content: updated },
  ];
}

/** Why a run may not publish, or undefined: the published figures are those of a run of every scenario at every default scale. */
export function publishRefusal(args: { readonly only?: string; readonly scales?: string }): string | undefined {
  const narrowed = (['only', 'scales'] as const).filter((name) => args[name] !== undefined);
  return narrowed.length > 0 ? `--publish needs a whole run, not one narrowed with ${narrowed.map((n) => `--${n}`).join(' and ')}` : undefined;
}
