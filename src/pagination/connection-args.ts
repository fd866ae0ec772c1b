import { badUserInput } from '../errors.ts';
import type { CursorKey } from './cursor.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

/**
 * Which slice of an ordered list to fetch. Forward pages read `limit + 1` rows in list order
 * after `after`; backward pages (`last`) read `limit + 1` rows in reverse order before `before`.
 * The extra row says whether there is another page.
 */
export interface PageWindow {
  readonly limit: number;
  readonly backward: boolean;
  readonly after?: CursorKey;
  readonly before?: CursorKey;
}

function checkSize(name: 'first' | 'last', value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`Argument "${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, name);
  }
  return value;
}

export function parseConnectionArgs(
  args: ConnectionArgs,
  decode: (cursor: string, argumentName: 'after' | 'before') => CursorKey,
): PageWindow {
  const { first, last, after, before } = args;
  if (first != null && last != null) {
    throw badUserInput('Arguments "first" and "last" cannot be used together; page forwards or backwards', 'first');
  }
  const backward = last != null;
  const limit = backward ? checkSize('last', last) : first != null ? checkSize('first', first) : DEFAULT_PAGE_SIZE;
  return {
    limit,
    backward,
    after: after != null ? decode(after, 'after') : undefined,
    before: before != null ? decode(before, 'before') : undefined,
  };
}

/** A stable string for a window, to key per-arguments loaders. */
export function windowKey(window: PageWindow): string {
  const bound = (key?: CursorKey) => (key ? `${key.value}\u0000${key.id}` : '');
  return `${window.limit}|${window.backward ? 'b' : 'f'}|${bound(window.after)}|${bound(window.before)}`;
}
