/** Lets at most `limit` holders in at once; the rest wait in arrival order. */
export interface RequestGate {
  /** Resolves once the caller may go on; the caller must call the returned release exactly once. */
  enter(): Promise<() => void> | (() => void);
  /** Holders now (for tests and the curious). */
  readonly active: number;
  readonly waiting: number;
}

/**
 * A first-come, first-served limit on GraphQL executions in progress. Beyond what the pool can
 * serve, an admitted request mostly waits for a connection while it holds its half-built result
 * (rows, loader promises, the response so far): under a large concurrency every scavenge copies
 * those, and they are promoted and collected again by the full collector. A request held back
 * here holds only its parsed body, and once admitted it runs its statements back to back.
 */
export function createRequestGate(limit: number): RequestGate {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    // The slot passes straight to the next in line, so a newcomer cannot overtake it.
    if (next) next();
    else active--;
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    enter: () => {
      if (active < limit) {
        active++;
        return once();
      }
      return new Promise((resolve) => queue.push(() => resolve(once())));
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
