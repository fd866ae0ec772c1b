import { describe, expect, it } from 'vitest';
import { MAX_NAMED_TEXT_LENGTH, StatementNames } from '../../src/db/statement-names.ts';

describe('StatementNames', () => {
  it('names a text the same way every time, and distinct texts apart', () => {
    const names = new StatementNames(10);
    const first = names.nameOf('select 1');
    expect(first).toMatch(/^inkql_/);
    expect(names.nameOf('select 1')).toBe(first);
    expect(names.nameOf('select 2')).not.toBe(first);
  });

  it('names no more than its bound: later texts go unnamed, earlier ones keep their names', () => {
    const names = new StatementNames(2);
    const a = names.nameOf('select 1');
    names.nameOf('select 2');
    expect(names.nameOf('select 3')).toBeUndefined();
    expect(names.nameOf('select 1')).toBe(a);
    expect(names.size).toBe(2);
  });

  it('never names a text longer than the longest the server builds', () => {
    const names = new StatementNames(10);
    expect(names.nameOf(`select '${'x'.repeat(MAX_NAMED_TEXT_LENGTH)}'`)).toBeUndefined();
    expect(names.size).toBe(0);
  });

  it('names nothing with a bound of 0', () => {
    expect(new StatementNames(0).nameOf('select 1')).toBeUndefined();
  });
});
