import { describe, expect, it } from 'vitest';
import { redactPlan } from '../../src/trace/redact-plan.ts';

describe('redactPlan', () => {
  it('replaces each string parameter printed as a literal with its placeholder', () => {
    const plan = [{ Plan: { 'Node Type': 'Index Scan', 'Index Cond': "(token_hash = 'c0ffee'::text)", Filter: "(name = 'it''s'::text)" } }];
    expect(redactPlan(plan, ['c0ffee', "it's"])).toEqual([
      { Plan: { 'Node Type': 'Index Scan', 'Index Cond': '(token_hash = $1::text)', Filter: '(name = $2::text)' } },
    ]);
  });

  it('replaces a parameter that contains another one whole', () => {
    const plan = { Filter: "((a = 'ab'::text) AND (b = 'b'::text))" };
    expect(redactPlan(plan, ['b', 'ab'])).toEqual({ Filter: '((a = $2::text) AND (b = $1::text))' });
  });

  it('leaves numbers and text that is not a quoted parameter alone', () => {
    const plan = { Filter: "((id = 42) AND (title = 'other'::text))", 'Relation Name': 'c0ffee' };
    expect(redactPlan(plan, [42, 'c0ffee'])).toEqual(plan);
  });

  it('survives characters that JSON escapes', () => {
    const value = 'quote " backslash \\ newline \n';
    const plan = { Filter: `(body = '${value}'::text)` };
    expect(redactPlan(plan, [value])).toEqual({ Filter: '(body = $1::text)' });
  });
});
