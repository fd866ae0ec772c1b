// Pure: whether two servers answered one scenario with the same data.

/** Keys that hold an identifier: each server encodes its own, so they are left out of the comparison. */
export const ID_KEYS: ReadonlySet<string> = new Set(['id', 'nodeId', 'rowId']);

/** `value` without its identifier fields, at any depth. */
export function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !ID_KEYS.has(key)).map(([key, field]) => [key, withoutIds(field)]));
}

const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 120));

/**
 * Where `actual` first differs from `expected` (a path such as `posts.nodes[3].tags[0].name` and
 * both values), or null when they hold the same data field for field: same keys, same values,
 * lists in the same order. Identifier fields are left out of both first.
 */
export function dataDifference(expected: unknown, actual: unknown): string | null {
  return differenceAt(withoutIds(expected), withoutIds(actual), '');
}

function differenceAt(expected: unknown, actual: unknown, path: string): string | null {
  const here = path || '(root)';
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return `${here}: ${show(expected)} against ${show(actual)}`;
    if (expected.length !== actual.length) return `${here}: ${expected.length} items against ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const found = differenceAt(expected[i], actual[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (expected !== null && actual !== null && typeof expected === 'object' && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const found = differenceAt((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : `${here}: ${show(expected)} against ${show(actual)}`;
}
