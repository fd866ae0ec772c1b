import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '../http-error.ts';
import { EXPLORER_ASSET_PREFIX, EXPLORER_ASSETS, EXPLORER_DIST_DIR } from './explorer-assets.ts';
import { EXPLORER_CSP, type ExplorerPageConfig, renderExplorerPage, renderMissingBundlePage } from './explorer-page.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * A browser navigating to /graphql (Accept: text/html, no `query` parameter) gets the explorer;
 * GraphQL GET requests (`?query=...`) and every POST still reach Apollo.
 */
export function wantsExplorer(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const accept = request.headers.accept ?? '';
  if (!accept.includes('text/html')) return false;
  const search = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '');
  return !search.has('query') && !search.has('extensions');
}

async function bundleExists(): Promise<boolean> {
  try {
    await stat(join(EXPLORER_DIST_DIR, 'explorer.js'));
    return true;
  } catch {
    return false;
  }
}

async function sendPage(config: ExplorerPageConfig, reply: FastifyReply): Promise<void> {
  const built = await bundleExists();
  await reply
    .code(built ? 200 : 503)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', EXPLORER_CSP)
    .header('cache-control', 'no-store')
    .send(built ? renderExplorerPage(config) : renderMissingBundlePage());
}

/** The offline GraphiQL explorer at `/` and at `GET /graphql` for browsers, and its bundled assets. */
export function registerExplorer(app: FastifyInstance, config: ExplorerPageConfig): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.split('?')[0] !== '/graphql' || !wantsExplorer(request)) return;
    await sendPage(config, reply);
    return reply; // replied early: Fastify skips the GraphQL handler
  });
  app.get('/', (_request, reply) => sendPage(config, reply));
  app.get<{ Params: { file: string } }>(`${EXPLORER_ASSET_PREFIX}:file`, async (request, reply) => {
    const { file } = request.params;
    // Only the files the build writes: no path from the URL ever reaches the file system.
    if (!EXPLORER_ASSETS.includes(file)) return httpError(reply, 404, `The explorer has no file ${JSON.stringify(file)}`);
    try {
      const body = await readFile(join(EXPLORER_DIST_DIR, file));
      return reply
        .header('content-type', CONTENT_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream')
        .header('cache-control', 'no-cache')
        .send(body);
    } catch {
      return httpError(reply, 404, `The explorer's ${file} is not built: run npm run build:explorer`);
    }
  });
}
