import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';

// API tokens: `inkql_` + 32 random bytes in base64url. Only their SHA-256 is stored, so a token
// is shown once, when it is issued, and a copy of the table lets nobody in.

export const TOKEN_PREFIX = 'inkql_';
export const TOKEN_BYTES = 32;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Issues a new token for an author and returns it in clear (the only time it exists). */
export async function issueApiToken(db: Kysely<Database>, authorId: number): Promise<string> {
  const token = TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
  await db.insertInto('api_tokens').values({ author_id: authorId, token_hash: hashToken(token) }).execute();
  return token;
}

/** The author a token belongs to, or null for an unknown token. */
export async function findAuthorIdByToken(db: Kysely<Database>, token: string): Promise<number | null> {
  const row = await db.selectFrom('api_tokens').select('author_id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return row?.author_id ?? null;
}
