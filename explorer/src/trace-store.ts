// What the trace panel shows: the last operation's trace as the server is configured and, with
// "batching off" ticked, the same operation re-run with `X-Inkql-Batching: off`, side by side.
// A tiny external store (React's useSyncExternalStore) because the fetcher lives outside React.
import { getOperationAST, parse } from 'graphql';
import type { ResponseExtensionsJson } from '../../src/trace/trace-format.ts';
import { type ErrorJson, summarizeTrace, type TraceView } from './summarize-trace.ts';

export interface OperationRequest {
  readonly query: string;
  readonly variables?: unknown;
  readonly operationName?: string | null;
  readonly headers: Record<string, string>;
}

export interface Run {
  readonly status: number;
  readonly operationName?: string;
  readonly view?: TraceView;
  /** The response carried `extensions.trace`; without it a view holds at most the cost. */
  readonly traced: boolean;
  readonly errorCodes: readonly string[];
}

export interface TraceState {
  readonly batchingOff: boolean;
  readonly configured?: Run;
  readonly naive?: Run;
  readonly naivePending: boolean;
  /** Why the naive column is empty, when it is on purpose. */
  readonly naiveNote?: string;
}

export const BATCHING_HEADER = 'X-Inkql-Batching';
export const TRACE_HEADER = 'X-Inkql-Trace';

/** A GraphQL response body, as far as the explorer reads it. */
export interface ResponseBody {
  readonly data?: unknown;
  readonly errors?: readonly ErrorJson[];
  readonly extensions?: ResponseExtensionsJson;
}

export interface PostResult {
  readonly status: number;
  readonly body: ResponseBody;
}

export async function postOperation(endpoint: string, request: OperationRequest, extraHeaders: Record<string, string>): Promise<PostResult> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...request.headers, ...extraHeaders },
    body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName ?? undefined }),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as ResponseBody };
  } catch {
    return { status: response.status, body: { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 200)}` }] } };
  }
}

function toRun(request: OperationRequest, result: PostResult, maxCost: number | undefined): Run {
  const errors = Array.isArray(result.body?.errors) ? result.body.errors : [];
  return {
    status: result.status,
    operationName: request.operationName ?? undefined,
    view: summarizeTrace(result.body?.extensions, errors, maxCost),
    traced: result.body?.extensions?.trace != null,
    errorCodes: errors.map((error) => String(error?.extensions?.code ?? 'ERROR')),
  };
}

function isMutation(request: OperationRequest): boolean {
  try {
    return getOperationAST(parse(request.query), request.operationName ?? undefined)?.operation === 'mutation';
  } catch {
    return false;
  }
}

export class TraceStore {
  private state: TraceState = { batchingOff: false, naivePending: false };
  private readonly listeners = new Set<() => void>();
  private last?: OperationRequest;
  /** Drops a naive result that arrives after a newer operation started. */
  private generation = 0;

  constructor(
    private readonly endpoint: string,
    private readonly traceHeaders: Record<string, string>,
    private readonly maxCost?: number,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): TraceState => this.state;

  private set(patch: Partial<TraceState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Called by the fetcher for every operation the user runs (not for introspection). */
  record(request: OperationRequest, result: PostResult): void {
    this.last = request;
    this.generation++;
    this.set({ configured: toRun(request, result, this.maxCost), naive: undefined, naiveNote: undefined });
    if (this.state.batchingOff) void this.runNaive();
  }

  setBatchingOff(batchingOff: boolean): void {
    this.set({ batchingOff, naive: undefined, naiveNote: undefined });
    if (batchingOff) void this.runNaive();
  }

  private async runNaive(): Promise<void> {
    const request = this.last;
    if (!request) {
      this.set({ naiveNote: 'Run an operation: it is re-run with batching off here.' });
      return;
    }
    // Re-running a mutation would write twice.
    if (isMutation(request)) {
      this.set({ naiveNote: 'Mutations are not re-run with batching off (they would write twice).' });
      return;
    }
    const generation = this.generation;
    this.set({ naivePending: true });
    try {
      const result = await postOperation(this.endpoint, request, { ...this.traceHeaders, [BATCHING_HEADER]: 'off' });
      if (generation === this.generation && this.state.batchingOff) this.set({ naive: toRun(request, result, this.maxCost) });
    } catch (error) {
      if (generation === this.generation) this.set({ naiveNote: `Re-run failed: ${(error as Error).message}` });
    } finally {
      this.set({ naivePending: false });
    }
  }
}
