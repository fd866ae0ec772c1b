/** One reading of the primary's WAL position, at a time of this process's clock (performance.now()). */
export interface PrimarySample {
  readonly at: number;
  readonly lsn: bigint;
}

/**
 * How far a replica that has replayed up to `replayed` is behind, in ms, from the primary's
 * recent positions (oldest first): the age of the oldest position it has not replayed yet, or 0
 * when it has replayed the newest. No clocks of the database servers are compared, and an idle
 * primary does not make a caught-up replica look late (unlike `now() - pg_last_xact_replay_timestamp()`).
 * Positions older than the samples kept count as the oldest kept: the result is then a lower bound.
 */
export function replicaLagMs(samples: readonly PrimarySample[], replayed: bigint, now: number): number {
  for (const sample of samples) {
    if (sample.lsn > replayed) return now - sample.at;
  }
  return 0;
}
