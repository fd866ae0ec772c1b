import { join, resolve } from 'node:path';

// While `inkql serve` holds the embedded database, other commands of the same user reach it
// through a Unix socket in the data directory, never over TCP: no other machine, and no web
// page, can connect to it; and it sits in a directory only its owner may enter.
//
//   <INKQL_DATA_DIR>/admin/          mode 0700
//   <INKQL_DATA_DIR>/admin/inkql.sock
//   POST /tokens {"authorId":7}  ->  200 {"authorId":7,"authorName":"…","token":"inkql_…"}
//                                    404 {"error":"no author with id 7"}

export const ADMIN_DIR_NAME = 'admin';
export const ADMIN_SOCKET_NAME = 'inkql.sock';
/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
export const MAX_SOCKET_PATH_BYTES = 103;

export function adminDir(dataDir: string): string {
  return resolve(dataDir, ADMIN_DIR_NAME);
}

/** The socket's path, or undefined where no socket can serve (too long a path; Windows, whose pipes other machines can reach; an in-memory database). */
export function adminSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32' || dataDir.startsWith('memory://')) return undefined;
  const path = join(adminDir(dataDir), ADMIN_SOCKET_NAME);
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES ? path : undefined;
}

/** PGlite's lock-like marker: present while a process has the embedded database open (or after one crashed with it open). */
export function embeddedDatabaseMarker(dataDir: string): string {
  return join(resolve(dataDir), 'pgdata', 'postmaster.pid');
}
