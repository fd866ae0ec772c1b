// Bundles the server (src/main.ts and everything it imports from src/) into dist/inkql.js, which
// `npm start` runs with plain node. Packages stay external (loaded from node_modules).
//
//   node --import tsx scripts/build-server.ts        (npm prestart; ~0.2 s)
//
// Why not run the TypeScript through tsx in production: tsx's module hooks run on a loader
// thread with a V8 heap of its own, 58 MB of the server's idle RSS (166 -> 108 MB measured),
// and every module is transpiled again at each start.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The bundle, relative to a checkout's root (one level below it, like src/: see src/project-root.ts). */
export const SERVER_BUNDLE = 'dist/inkql.js';
/** node's arguments after its own flags to run the bundle as `npm start` does (package.json's "start"). */
export const SERVE_BUNDLE_ARGS: readonly string[] = ['--enable-source-maps', SERVER_BUNDLE, 'serve'];

/** Bundles the server of the checkout at `root` (another checkout's too, for bench:compare). */
export async function buildServer(root: string = ROOT): Promise<string> {
  return bundle(join(root, 'src/main.ts'), join(root, SERVER_BUNDLE));
}

/**
 * Bundles `entry` and what it imports from the checkout into `outfile` (one level below the
 * root, like src/), as npm start runs the server; a bench that serves its own build of the server
 * runs like this too, not through tsx (whose transform names every closure it creates).
 */
export async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces in logs point at src/ (npm start runs node --enable-source-maps).
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const started = performance.now();
  const outfile = await buildServer();
  console.log(`server bundled into ${outfile} in ${Math.round(performance.now() - started)} ms`);
}
