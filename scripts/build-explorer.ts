// Bundles the offline explorer (GraphiQL 5, React, Monaco and its workers) into dist/explorer/.
//
//   node --import tsx scripts/build-explorer.ts            build
//   node --import tsx scripts/build-explorer.ts --if-stale build only when the bundle is missing
//                                                          or older than its sources (npm prestart)
//
// dist/explorer/ holds explorer.js, explorer.css and one file per Monaco worker; it is not
// committed (.gitignore: dist/). GraphiQL 5 ships no browser build, so this is the only way to
// serve it without a CDN.
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { EXPLORER_ASSETS, EXPLORER_DIST_DIR, EXPLORER_WORKERS } from '../src/http/explorer/explorer-assets.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIR = join(ROOT, 'explorer');
/** Anything whose change must rebuild the bundle: client sources, pinned versions, this script. */
const INPUTS = [join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url), join(ROOT, 'src/http/explorer/explorer-assets.ts')];

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

async function newestSource(): Promise<number> {
  const files = (await readdir(SOURCE_DIR, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  return Math.max(...[...files, ...INPUTS].map(mtime));
}

async function isStale(): Promise<boolean> {
  const outputs = EXPLORER_ASSETS.map((name) => mtime(join(EXPLORER_DIST_DIR, name)));
  if (outputs.some((time) => time < 0)) return true;
  return Math.min(...outputs) < (await newestSource());
}

export async function buildExplorer(): Promise<void> {
  const common = {
    bundle: true,
    minify: true,
    legalComments: 'none' as const,
    target: 'es2022',
    logLevel: 'warning' as const,
    define: { 'process.env.NODE_ENV': '"production"' },
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { explorer: join(SOURCE_DIR, 'src/main.tsx') },
      outdir: EXPLORER_DIST_DIR,
      format: 'esm',
      jsx: 'automatic',
      // Monaco's codicon font is inlined in GraphiQL's CSS already; anything else stays local too.
      loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
    }),
    ...Object.entries(EXPLORER_WORKERS).map(([name, entry]) =>
      build({ ...common, entryPoints: [join(ROOT, 'node_modules', entry)], outfile: join(EXPLORER_DIST_DIR, name), format: 'iife' }),
    ),
  ]);
}

/** Builds unless the bundle is newer than all its sources; says which it did. */
export async function buildExplorerIfStale(): Promise<'built' | 'up to date'> {
  if (!(await isStale())) return 'up to date';
  await buildExplorer();
  return 'built';
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const started = performance.now();
  const outcome = process.argv.includes('--if-stale') ? await buildExplorerIfStale() : (await buildExplorer(), 'built');
  console.log(
    outcome === 'built'
      ? `explorer bundled into ${EXPLORER_DIST_DIR} in ${Math.round(performance.now() - started)} ms`
      : 'explorer bundle is up to date',
  );
}
