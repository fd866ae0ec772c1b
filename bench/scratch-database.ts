import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';

export interface ScratchDatabase {
  /** The new, empty database's URL. */
  readonly url: string;
  /** Drops it (connections included) and closes the admin connection. */
  drop(): Promise<void>;
}

/** A database of the bench's own, named `<prefix>_<random>`, on the server DATABASE_URL points at. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const adminUrl = loadConfig().database.url;
  if (!adminUrl) throw new Error('set DATABASE_URL to a Postgres server: the bench creates its own database there');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
