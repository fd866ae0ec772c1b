// The "Trace" plugin: the SQL, N+1 suspects, loaders, cache and cost of the last response, and the
// same operation with batching off beside it. data-testid attributes are what the browser test reads.
import { useSyncExternalStore } from 'react';
import type { GraphiQLPlugin } from '@graphiql/react';
import type { Run, TraceStore } from './trace-store.ts';
import type { TraceView } from './summarize-trace.ts';

const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

function Waterfall({ view }: { view: TraceView }) {
  if (view.statements.length === 0) return <p className="inkql-muted">No SQL ran.</p>;
  return (
    <ol className="inkql-waterfall" data-testid="waterfall">
      {view.statements.map((statement, index) => (
        <li
          key={index}
          className={statement.nPlusOne ? 'inkql-statement inkql-statement--n1' : 'inkql-statement'}
          title={`${statement.path ? `${statement.path}\n` : ''}${statement.sql}\n${statement.rows} rows, ${ms(statement.durationMs)}${statement.error ? `\nerror: ${statement.error}` : ''}`}
          data-testid="statement"
        >
          <span className="inkql-statement-label">
            {statement.label}
            {statement.loader && statement.loader !== statement.label ? <span className="inkql-muted"> · {statement.loader}</span> : null}
          </span>
          <span className="inkql-bar-track">
            <span
              className="inkql-bar"
              style={{
                left: `${(statement.startOffsetMs / view.spanMs) * 100}%`,
                width: `max(2px, ${(statement.durationMs / view.spanMs) * 100}%)`,
              }}
            />
          </span>
          <span className="inkql-statement-time">{ms(statement.durationMs)}</span>
        </li>
      ))}
    </ol>
  );
}

/** What the server lets the explorer see, from the page config. */
export interface TracePanelOptions {
  /** The server hands traces out without a token (development mode). */
  readonly tracesWithoutToken: boolean;
  readonly introspection: boolean;
}

function NoTrace({ tracesWithoutToken }: { tracesWithoutToken: boolean }) {
  if (tracesWithoutToken) {
    return <p className="inkql-muted" data-testid="no-trace">No trace came with this response.</p>;
  }
  return (
    <div className="inkql-notice" data-testid="trace-hidden">
      <p><strong>Trace hidden.</strong> This server runs in production, where traces are off: they show SQL text.</p>
      <p>
        To see them, start the server with <code>INKQL_DEBUG_TOKEN=&lt;secret&gt;</code> and put this in the Headers tab
        under the editor:
      </p>
      <pre>{'{\n  "X-Inkql-Trace": "1",\n  "X-Inkql-Debug-Token": "<secret>"\n}'}</pre>
      <p className="inkql-muted">docs/trace.md tells more.</p>
    </div>
  );
}

function TraceColumn({ title, run, pending, note, options }: { title: string; run?: Run; pending?: boolean; note?: string; options: TracePanelOptions }) {
  const testId = title === 'batching off' ? 'trace-naive' : 'trace-configured';
  if (pending) return <section className="inkql-column" data-testid={testId}><h3>{title}</h3><p className="inkql-muted">Running…</p></section>;
  if (!run) return <section className="inkql-column" data-testid={testId}><h3>{title}</h3><p className="inkql-muted">{note ?? 'Run an operation to see its trace.'}</p></section>;
  const { view } = run;
  return (
    <section className="inkql-column" data-testid={testId}>
      <h3>
        {title}
        {run.operationName ? <span className="inkql-muted"> · {run.operationName}</span> : null}
      </h3>
      {!run.traced || !view ? (
        <NoTrace tracesWithoutToken={options.tracesWithoutToken} />
      ) : (
        <>
          <dl className="inkql-summary">
            <div><dt>SQL</dt><dd data-testid="sql-count">{view.sqlCount} {view.sqlCount === 1 ? 'statement' : 'statements'}</dd></div>
            <div><dt>SQL time</dt><dd>{ms(view.sqlDurationMs)}</dd></div>
            {view.durationMs !== undefined ? <div><dt>Total</dt><dd>{ms(view.durationMs)}</dd></div> : null}
            <div><dt>Similar / duplicate</dt><dd>{view.similarCount} / {view.duplicateCount}</dd></div>
            {view.cache ? <div><dt>Cache</dt><dd data-testid="cache">{view.cache.hits} hits, {view.cache.misses} misses</dd></div> : null}
            {view.cost ? (
              <div className={view.cost.rejected ? 'inkql-over' : undefined} title={view.cost.rejected ? `${view.cost.rejected}: refused before any SQL ran` : undefined}>
                <dt>Cost{view.cost.rejected ? ` · ${view.cost.rejected}` : ''}</dt>
                <dd data-testid="cost">
                  {view.cost.requested}
                  {view.cost.maximum !== undefined ? ` of ${view.cost.maximum}` : ''}
                  {view.cost.actual !== undefined ? ` (actual ${view.cost.actual})` : ''}
                </dd>
              </div>
            ) : null}
            {view.cost?.budget ? (
              <div>
                <dt>Budget left</dt>
                <dd>{view.cost.budget.available}{view.cost.budget.maximum !== undefined ? ` of ${view.cost.budget.maximum}` : ''}</dd>
              </div>
            ) : null}
          </dl>
          {view.nPlusOne.length > 0 ? (
            <ul className="inkql-warnings" data-testid="n-plus-one">
              {view.nPlusOne.map((warning, index) => (
                <li key={index} title={warning.sql}>
                  <strong>N+1</strong> on <code>{warning.field}</code>: {warning.count} similar statements
                </li>
              ))}
            </ul>
          ) : (
            <p className="inkql-ok" data-testid="no-n-plus-one">No N+1 suspects.</p>
          )}
          {view.loaders && view.loaders.length > 0 ? (
            <table className="inkql-loaders" data-testid="loaders">
              <thead><tr><th>loader</th><th>loads</th><th>batches</th><th>max batch</th></tr></thead>
              <tbody>
                {view.loaders.map((loader) => (
                  <tr key={loader.name}><td>{loader.name}</td><td>{loader.loads}</td><td>{loader.batches}</td><td>{loader.maxBatch}</td></tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Waterfall view={view} />
        </>
      )}
    </section>
  );
}

function TracePanel({ store, options }: { store: TraceStore; options: TracePanelOptions }) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <div className="inkql-trace" data-testid="trace-panel">
      <div className="graphiql-doc-explorer-title">Trace</div>
      {options.introspection ? null : (
        <p className="inkql-notice" data-testid="schema-missing">
          <strong>No schema.</strong> Introspection is off on this server (the production default), so the editor has no
          autocompletion, validation or docs; operations still run. Start the server with <code>INKQL_INTROSPECTION=on</code> to
          turn it on.
        </p>
      )}
      <label className="inkql-toggle" title="Re-runs the operation with the header X-Inkql-Batching: off (development mode)">
        <input
          type="checkbox"
          checked={state.batchingOff}
          onChange={(event) => store.setBatchingOff(event.target.checked)}
          data-testid="batching-off"
        />
        batching off <span className="inkql-muted">(re-run naive, to compare)</span>
      </label>
      <div className={state.batchingOff ? 'inkql-columns inkql-columns--two' : 'inkql-columns'}>
        <TraceColumn title="as configured" run={state.configured} options={options} />
        {state.batchingOff ? (
          <TraceColumn title="batching off" run={state.naive} pending={state.naivePending} note={state.naiveNote} options={options} />
        ) : null}
      </div>
    </div>
  );
}

function TraceIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M3 5h8M6 10h10M9 15h6M4 20h16" strokeLinecap="round" />
    </svg>
  );
}

export function createTracePlugin(store: TraceStore, options: TracePanelOptions): GraphiQLPlugin {
  return { title: 'Trace', icon: TraceIcon, content: () => <TracePanel store={store} options={options} /> };
}
