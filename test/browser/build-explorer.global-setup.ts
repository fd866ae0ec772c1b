import { buildExplorerIfStale } from '../../scripts/build-explorer.ts';

/** The explorer bundle is not committed: build it once before any test file serves it. */
export default async function setup(): Promise<void> {
  await buildExplorerIfStale();
}
