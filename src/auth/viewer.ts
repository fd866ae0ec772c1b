import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';
import { InkqlError } from '../errors.ts';
import { findAuthorIdByToken } from './api-token.ts';
import { bearerToken } from './bearer-token.ts';

export interface Viewer {
  readonly authorId: number;
}

/**
 * The author behind a request's `Authorization: Bearer <token>`, looked up on first need and at
 * most once per request: reads are public, so a read never pays for a token lookup.
 */
export interface LazyViewer {
  /** The viewer, or null without a valid token. */
  get(): Promise<Viewer | null>;
  /** The viewer, or UNAUTHENTICATED. */
  require(): Promise<Viewer>;
}

export function createLazyViewer(db: Kysely<Database>, authorization: string | undefined): LazyViewer {
  let pending: Promise<Viewer | null> | undefined;
  const get = () => {
    pending ??= (async () => {
      const token = bearerToken(authorization);
      if (!token) return null;
      const authorId = await findAuthorIdByToken(db, token);
      return authorId === null ? null : { authorId };
    })();
    return pending;
  };
  return {
    get,
    require: async () => {
      const viewer = await get();
      if (viewer) return viewer;
      throw new InkqlError(
        'UNAUTHENTICATED',
        authorization ? 'The API token is invalid or revoked.' : 'This operation needs an "Authorization: Bearer <token>" header.',
      );
    },
  };
}
