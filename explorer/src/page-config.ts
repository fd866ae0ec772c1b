// The server writes this JSON into the page (src/http/explorer/explorer-page.ts); the bundle is static.
export interface PageConfig {
  /** The GraphQL endpoint, same origin. */
  readonly endpoint: string;
  /** Send `X-Inkql-Trace: 1` with every operation: the server runs in development mode. */
  readonly trace: boolean;
  /** Where the Monaco worker scripts are served. */
  readonly assetPrefix: string;
  /** The server's maximum cost per operation (INKQL_MAX_COST), shown beside a response's cost. */
  readonly maxCost?: number;
  /** A development server's demo token (author 1), filled into the mutation example. */
  readonly demoToken?: string;
  /** Schema introspection is on (INKQL_INTROSPECTION): without it the editor runs without a schema. */
  readonly introspection: boolean;
}

export const PAGE_CONFIG_ELEMENT_ID = 'inkql-explorer-config';

export function readPageConfig(): PageConfig {
  const element = document.getElementById(PAGE_CONFIG_ELEMENT_ID);
  const parsed = element?.textContent ? JSON.parse(element.textContent) : {};
  return {
    endpoint: typeof parsed.endpoint === 'string' ? parsed.endpoint : '/graphql',
    trace: parsed.trace === true,
    assetPrefix: typeof parsed.assetPrefix === 'string' ? parsed.assetPrefix : '/explorer/',
    maxCost: typeof parsed.maxCost === 'number' ? parsed.maxCost : undefined,
    demoToken: typeof parsed.demoToken === 'string' ? parsed.demoToken : undefined,
    introspection: parsed.introspection !== false,
  };
}
