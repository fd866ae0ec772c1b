import type { Kysely, Transaction } from 'kysely';
import { InkqlError } from '../errors.ts';
import type { Database } from './types.ts';

// Postgres aborts one of two transactions that wait on each other (deadlock, 40P01) or that it
// cannot serialize (40001); the aborted one wrote nothing and would succeed if run again.

const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

/** Attempts in all, the first included: one retry, so a client waits for at most two runs. */
export const TRANSACTION_ATTEMPTS = 2;

function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/**
 * Runs `work` in a transaction, again if the database aborted it as a conflict; a conflict on
 * the last attempt is TRANSACTION_CONFLICT, which the client may retry. `work` must be safe to
 * run twice: everything it did in the aborted attempt was rolled back.
 */
export async function retryTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) {
        throw new InkqlError('TRANSACTION_CONFLICT', 'The write conflicted with concurrent writes and was rolled back; nothing was changed. Try again.', {
          retryable: true,
        });
      }
    }
  }
}
