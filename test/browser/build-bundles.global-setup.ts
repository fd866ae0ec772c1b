import { buildExplorerIfStale } from '../../scripts/build-explorer.ts';
import { buildServer } from '../../scripts/build-server.ts';

/**
 * Neither bundle is committed: the explorer is built when stale, and the server always (it takes
 * a fraction of a second), so tests that start the server process run the current sources the
 * way `npm start` runs them.
 */
export default async function setup(): Promise<void> {
  await Promise.all([buildExplorerIfStale(), buildServer()]);
}
