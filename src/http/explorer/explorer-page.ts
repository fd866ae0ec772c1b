// The HTML shell of the explorer. Everything it loads is same-origin; the Content-Security-Policy
// below makes the browser refuse anything else, so the page works behind any firewall.
import { EXPLORER_ASSET_PREFIX } from './explorer-assets.ts';

export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL and Monaco set inline styles; fonts and icons are data: URLs inside the CSS.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON inside a <script type="application/json"> must not be able to close the tag. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** What the page tells the explorer about this server. */
export interface ExplorerPageConfig {
  /** The explorer asks for traces only where the server hands them out without a token (outside production). */
  readonly trace: boolean;
  /** INKQL_MAX_COST, to show a query's cost against it. */
  readonly maxCost: number;
  /** Schema introspection is on (INKQL_INTROSPECTION): without it the explorer runs without a schema and says why. */
  readonly introspection: boolean;
  /** A development server's demo token, prefilled in the "create a post" example; production pages never carry one. */
  readonly demoToken?: string;
}

export function renderExplorerPage(config: ExplorerPageConfig, endpoint = '/graphql'): string {
  const pageConfig = {
    endpoint,
    trace: config.trace,
    assetPrefix: EXPLORER_ASSET_PREFIX,
    maxCost: config.maxCost,
    introspection: config.introspection,
    ...(config.demoToken ? { demoToken: config.demoToken } : {}),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>inkql explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_ASSET_PREFIX}explorer.css">
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
<script id="inkql-explorer-config" type="application/json">${safeJson(pageConfig)}</script>
<script type="module" src="${EXPLORER_ASSET_PREFIX}explorer.js"></script>
</head>
<body><div id="explorer"></div></body>
</html>
`;
}

/** Shown when dist/explorer/ is missing: `npm start` and the tests build it, a bare server may not have. */
export function renderMissingBundlePage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>inkql explorer</title></head>
<body><h1>The explorer is not built</h1><p>Run <code>npm run build:explorer</code> (npm start does it for you), then reload.</p></body></html>
`;
}
