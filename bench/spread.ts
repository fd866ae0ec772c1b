import { median } from './summarise.ts';

// Pure: what the comparison table shows of one cell's rounds.

/** The median of a cell's rounds and the range they covered. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** `1,234 (1,100–1,300)`: the median, then the min–max of the rounds. */
export function formatSpread(spread: Spread, digits = 0): string {
  const num = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
  return `${num(spread.median)} (${num(spread.min)}–${num(spread.max)})`;
}
