// The explorer page: GraphiQL 5 with inkql's example tabs and Trace plugin, all served locally.
import 'graphiql/style.css';
import './trace-panel.css';
import { GraphiQL } from 'graphiql';
import type { Fetcher, SyncExecutionResult } from '@graphiql/toolkit';
import { createRoot } from 'react-dom/client';
import { examplesFor } from './examples.ts';
import { readPageConfig } from './page-config.ts';
import { createTracePlugin } from './trace-panel.tsx';
import { postOperation, TRACE_HEADER, TraceStore } from './trace-store.ts';

const config = readPageConfig();

// Monaco runs its language services in workers; they are bundled next to this file (no CDN).
(globalThis as any).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const file = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(`${config.assetPrefix}${file}`);
  },
};

const traceHeaders: Record<string, string> = config.trace ? { [TRACE_HEADER]: '1' } : {};
const store = new TraceStore(config.endpoint, traceHeaders, config.maxCost);
const tracePlugin = createTracePlugin(store, { tracesWithoutToken: config.trace, introspection: config.introspection });

const fetcher: Fetcher = async (params, options) => {
  const request = {
    query: params.query,
    variables: params.variables,
    operationName: params.operationName,
    headers: { ...(options?.headers ?? {}) } as Record<string, string>,
  };
  const result = await postOperation(config.endpoint, request, traceHeaders);
  // GraphiQL's schema introspection is not the user's operation: keep the panel on theirs.
  if (params.operationName !== 'IntrospectionQuery') store.record(request, result);
  return result.body as SyncExecutionResult;
};

// GraphiQL's plugin pane starts at a quarter of the width; the trace needs more. On a laptop
// screen (1280 px) the editor, the results and the example tabs need theirs too, so the pane takes
// a third there and more on wide screens. Only a default: once the user drags the divider,
// GraphiQL stores their choice under the same key.
const PLUGIN_PANE_FLEX_KEY = 'graphiql:docExplorerFlex';
const WIDE_SCREEN_PX = 1600;
const PLUGIN_PANE_FLEX = window.innerWidth >= WIDE_SCREEN_PX ? '0.8' : '0.5';
if (localStorage.getItem(PLUGIN_PANE_FLEX_KEY) === null) localStorage.setItem(PLUGIN_PANE_FLEX_KEY, PLUGIN_PANE_FLEX);

const root = document.getElementById('explorer');
if (!root) throw new Error('the explorer page has no #explorer element');
createRoot(root).render(
  <GraphiQL
    fetcher={fetcher}
    // With introspection off the server refuses it: run without a schema (the Trace panel says why).
    schema={config.introspection ? undefined : null}
    defaultTabs={examplesFor(config.demoToken).map(({ query, variables, headers }) => ({ query, variables, headers }))}
    plugins={[tracePlugin]}
    visiblePlugin={tracePlugin}
    defaultEditorToolsVisibility={true}
  >
    <GraphiQL.Logo>inkql</GraphiQL.Logo>
  </GraphiQL>,
);
