import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import { issueApiToken } from './api-token.ts';

export interface IssuedToken {
  readonly authorId: number;
  readonly authorName: string;
  /** In clear: the only time it exists (only its hash is stored). */
  readonly token: string;
}

export class UnknownAuthorError extends Error {
  constructor(readonly authorId: number) {
    super(`no author with id ${authorId}`);
    this.name = 'UnknownAuthorError';
  }
}

/** A new API token for an existing author (the token command and the development demo token). */
export async function issueAuthorToken(db: Kysely<Database>, authorId: number): Promise<IssuedToken> {
  const author = await db.selectFrom('authors').select('name').where('id', '=', authorId).executeTakeFirst();
  if (!author) throw new UnknownAuthorError(authorId);
  return { authorId, authorName: author.name, token: await issueApiToken(db, authorId) };
}
