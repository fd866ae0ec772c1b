import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../../project-root.ts';

/** Where scripts/build-explorer.ts writes the bundle and the server reads it (never committed). */
export const EXPLORER_DIST_DIR = fileURLToPath(new URL('dist/explorer/', PROJECT_ROOT));

/** Monaco's web workers: served file name -> module under node_modules that esbuild bundles. */
export const EXPLORER_WORKERS = {
  'editor.worker.js': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker.js': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker.js': 'monaco-graphql/esm/graphql.worker.js',
} as const;

/** Every file the explorer page may load: the static route serves these and nothing else. */
export const EXPLORER_ASSETS: readonly string[] = ['explorer.js', 'explorer.css', ...Object.keys(EXPLORER_WORKERS)];

/** URL prefix of the assets. */
export const EXPLORER_ASSET_PREFIX = '/explorer/';
