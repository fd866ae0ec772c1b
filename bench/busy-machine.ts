// Pure: whether a run was taken on a machine busy with other work, which makes its figures low
// and noisy.

/** Load from others above this share of the cores marks a run as busy. */
export const BUSY_LOAD_PER_CORE = 0.5;

export interface MachineLoad {
  readonly cores: number;
  /** 1-minute load average just before the timed rounds. */
  readonly loadBefore: number;
  /** 1-minute load average just after them: it includes the bench's own processes. */
  readonly loadAfter: number;
  /** CPU the load generator (this process) took during the rounds, in cores (1 = one core busy all the time). */
  readonly loadGeneratorCores: number;
  /** CPU the measured servers took during the rounds, in cores. */
  readonly serverCores: number;
}

export interface BusyVerdict {
  readonly busy: boolean;
  /** One line for the report, with the figures the verdict rests on. */
  readonly text: string;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');

/**
 * Busy when others' load exceeds BUSY_LOAD_PER_CORE of the cores: before the rounds the load
 * average is all others'; after them it also holds the bench's own processes, which are taken off.
 */
export function busyVerdict(load: MachineLoad): BusyVerdict {
  const limit = load.cores * BUSY_LOAD_PER_CORE;
  const ownCores = load.loadGeneratorCores + load.serverCores;
  const othersAfter = Math.max(0, load.loadAfter - ownCores);
  const busy = !(load.loadBefore <= limit) || !(othersAfter <= limit);
  const figures =
    `load average ${fmt(load.loadBefore)} before and ${fmt(load.loadAfter)} after the rounds on ${load.cores} cores ` +
    `(others' share after: ${fmt(othersAfter)}; busy above ${fmt(limit)}); the load generator took ${fmt(load.loadGeneratorCores)} cores, ` +
    `the servers ${fmt(load.serverCores)}`;
  return {
    busy,
    text: busy
      ? `**Busy machine: ${figures}. These figures are low and noisy; compare ratios within a round, not absolute values.**`
      : `Quiet machine: ${figures}.`,
  };
}
