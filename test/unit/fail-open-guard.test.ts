import { describe, expect, it } from 'vitest';
import { FailOpenGuard } from '../../src/cache/fail-open-guard.ts';

function createGuard(retryAfterMs: number, timeoutMs = 50) {
  const warnings: string[] = [];
  const guard = new FailOpenGuard({ timeoutMs, retryAfterMs, store: 'redis', logger: { warn: (_o, message) => warnings.push(message), info: () => {} } });
  return { guard, warnings };
}

const never = () => new Promise<never>(() => {});

describe('FailOpenGuard', () => {
  it('gives up on a call that does not answer within its timeout', async () => {
    const { guard } = createGuard(0);
    const started = performance.now();
    expect(await guard.run(never)).toBeUndefined();
    // 50 ms timeout; the margin is for a loaded machine, the point is "no hang".
    expect(performance.now() - started).toBeLessThan(1000);
    expect(guard.failures).toBe(1);
  });

  it("after one user's failure, skips the store for every user until the back-off ends", async () => {
    const { guard } = createGuard(300);
    let budgetCalls = 0;
    const budgetCall = async () => {
      budgetCalls++;
      return 'reserved';
    };
    // The cache's call fails...
    await guard.run(async () => {
      throw new Error('connection reset');
    });
    // ...so the budget's call does not reach the store.
    expect(await guard.run(budgetCall)).toBeUndefined();
    expect(budgetCalls).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await guard.run(budgetCall)).toBe('reserved');
    expect(budgetCalls).toBe(1);
  });

  it('warns once per interval however many calls and users fail', async () => {
    const { guard, warnings } = createGuard(0);
    await Promise.all(Array.from({ length: 10 }, () => guard.run(never)));
    for (let i = 0; i < 10; i++) guard.fail(new Error('ECONNREFUSED'));
    expect(guard.failures).toBe(20);
    expect(warnings).toHaveLength(1);
  });

  it('treats a call during which a failure was reported as failed (stores that report errors as events)', async () => {
    const { guard } = createGuard(0);
    const result = await guard.run(async () => {
      guard.fail(new Error('error event'));
      return 'value';
    });
    expect(result).toBeUndefined();
  });
});
