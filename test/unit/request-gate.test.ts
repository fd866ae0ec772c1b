import { describe, expect, it } from 'vitest';
import { createRequestGate } from '../../src/http/request-gate.ts';

describe('createRequestGate', () => {
  it('lets in up to its limit at once and the rest in arrival order as holders leave', async () => {
    const gate = createRequestGate(2);
    const order: number[] = [];
    const first = await gate.enter();
    const second = await gate.enter();
    const waiting = [3, 4, 5].map((n) => Promise.resolve(gate.enter()).then((leave) => (order.push(n), leave)));
    await Promise.resolve();
    expect({ active: gate.active, waiting: gate.waiting, order }).toEqual({ active: 2, waiting: 3, order: [] });
    first();
    const third = await waiting[0]!;
    expect(order).toEqual([3]);
    second();
    third();
    await Promise.all(waiting).then((leaves) => leaves.slice(1).forEach((leave) => leave()));
    expect({ active: gate.active, waiting: gate.waiting, order }).toEqual({ active: 0, waiting: 0, order: [3, 4, 5] });
  });

  it('hands a freed place to the oldest waiter, not to a newcomer', async () => {
    const gate = createRequestGate(1);
    const holder = await gate.enter();
    const waiter = Promise.resolve(gate.enter());
    holder();
    const newcomer = Promise.resolve(gate.enter());
    const leaveWaiter = await waiter;
    expect(gate.waiting).toBe(1);
    leaveWaiter();
    (await newcomer)();
    expect(gate.active).toBe(0);
  });

  it('counts a release once however often it is called', async () => {
    const gate = createRequestGate(1);
    const leave = await gate.enter();
    const next = Promise.resolve(gate.enter());
    leave();
    leave();
    (await next)();
    expect({ active: gate.active, waiting: gate.waiting }).toEqual({ active: 0, waiting: 0 });
  });
});
