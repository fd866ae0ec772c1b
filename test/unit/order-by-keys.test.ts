import { describe, expect, it } from 'vitest';
import { groupByKeys, orderByKeys } from '../../src/loaders/order-by-keys.ts';

describe('orderByKeys', () => {
  it('returns one row per key, in key order, whatever order the rows came in', () => {
    const rows = [{ id: 3 }, { id: 1 }, { id: 2 }];
    expect(orderByKeys([1, 2, 3], rows, (r) => r.id)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('puts null where a key has no row, keeping the length', () => {
    expect(orderByKeys([5, 1, 9], [{ id: 1 }], (r) => r.id)).toEqual([null, { id: 1 }, null]);
  });

  it('answers repeated keys each time', () => {
    expect(orderByKeys([1, 1], [{ id: 1 }], (r) => r.id)).toEqual([{ id: 1 }, { id: 1 }]);
  });

  it('handles no keys', () => {
    expect(orderByKeys([], [{ id: 1 }], (r) => r.id)).toEqual([]);
  });
});

describe('groupByKeys', () => {
  it('groups rows per key in key order, keeping the rows own order within a key', () => {
    const rows = [
      { post: 2, tag: 'b' },
      { post: 1, tag: 'z' },
      { post: 2, tag: 'a' },
      { post: 1, tag: 'y' },
    ];
    expect(groupByKeys([1, 2], rows, (r) => r.post)).toEqual([
      [{ post: 1, tag: 'z' }, { post: 1, tag: 'y' }],
      [{ post: 2, tag: 'b' }, { post: 2, tag: 'a' }],
    ]);
  });

  it('gives an empty array, not null, to a key without rows', () => {
    expect(groupByKeys([7, 8], [{ post: 8 }], (r) => r.post)).toEqual([[], [{ post: 8 }]]);
  });

  it('ignores rows of keys that were not asked for', () => {
    expect(groupByKeys([1], [{ post: 1 }, { post: 2 }], (r) => r.post)).toEqual([[{ post: 1 }]]);
  });
});
