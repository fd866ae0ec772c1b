import type { ConfigOverrides } from '../../src/config.ts';

/**
 * Layers of overrides, later layers winning field by field inside each section, so a helper's
 * defaults (`{ log: { level: 'silent' } }`) and a test's own (`{ log: { sql: true } }`) both hold.
 */
export function mergeOverrides(...layers: readonly ConfigOverrides[]): ConfigOverrides {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      merged[key] = typeof value === 'object' && value !== null ? { ...(merged[key] as object | undefined), ...value } : value;
    }
  }
  return merged as ConfigOverrides;
}
