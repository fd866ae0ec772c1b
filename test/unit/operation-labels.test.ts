import { describe, expect, it } from 'vitest';
import { ANONYMOUS_OPERATION, createOperationLabels, MAX_OPERATION_NAME_LENGTH, OTHER_OPERATION } from '../../src/metrics/operation-labels.ts';

describe('createOperationLabels', () => {
  it('labels unnamed operations, and requests refused before a name was known, alike', () => {
    const label = createOperationLabels(2);
    expect([label(undefined), label('')]).toEqual([ANONYMOUS_OPERATION, ANONYMOUS_OPERATION]);
  });

  it('keeps the names it admitted and gives every later one the shared label', () => {
    const label = createOperationLabels(2);
    expect(['A', 'B', 'C', 'A', 'D', 'B'].map(label)).toEqual(['A', 'B', OTHER_OPERATION, 'A', OTHER_OPERATION, 'B']);
  });

  it('admits no name longer than a label should be', () => {
    const label = createOperationLabels(10);
    expect(label('N'.repeat(MAX_OPERATION_NAME_LENGTH + 1))).toBe(OTHER_OPERATION);
    expect(label('N'.repeat(MAX_OPERATION_NAME_LENGTH))).toBe('N'.repeat(MAX_OPERATION_NAME_LENGTH));
  });
});
