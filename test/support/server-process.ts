import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVE_BUNDLE_ARGS } from '../../scripts/build-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Start-up may include creating and seeding an embedded database on a busy machine. */
export const READY_TIMEOUT_MS = 180_000;

export type LogLine = Record<string, any>;

/** A `node` child process of the tests or the benchmarks, with its output captured line by line. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process ends, with its exit code (null when a signal ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every stdout line so far, parsed as pino JSON (non-JSON lines as { msg: line }). */
  readonly logs: LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process ends first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the first log line that `match` accepts (already logged or still to come); rejects like waitForLine. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
}

/** A server process that has logged `inkql ready at <url>`. */
export type StartedServer = ServerProcess & { readonly url: string };

export interface SpawnOptions {
  /** Exactly the child's environment: nothing is inherited unless the caller passes it. */
  readonly env: Record<string, string>;
  /** Working directory; the repository root by default. */
  readonly cwd?: string;
  /** Also copy the child's stderr to this process's (benchmarks show the server's warnings). */
  readonly echoStderr?: boolean;
  /** Also copy the child's stdout to this process's. */
  readonly echoStdout?: boolean;
  /** The node binary; this process's by default (another one runs PostGraphile on the Node it asks for). */
  readonly node?: string;
}

function parseLine(line: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object') return parsed as LogLine;
  } catch {
    // not JSON: kept as its text
  }
  return { msg: line };
}

/**
 * Runs `node <nodeArgs>` (`node` itself rather than `npm start`, so a signal reaches the process
 * and not a wrapper). The one place tests and benchmarks start a Node process.
 */
export function spawnProcess(nodeArgs: readonly string[], options: SpawnOptions): ServerProcess {
  const child = spawn(options.node ?? process.execPath, nodeArgs, { cwd: options.cwd ?? ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  const lines: string[] = [];
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const check of waiters) check();
  };
  const addLine = (line: string) => {
    lines.push(line);
    logs.push(parseLine(line));
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.echoStdout) process.stdout.write(chunk);
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) addLine(line);
    wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (options.echoStderr) process.stderr.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close' rather than 'exit': every line of output has been read by then.
    child.once('close', (code, signal) => {
      if (partial) addLine(partial);
      partial = '';
      resolve({ code, signal });
      wake();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));

  const waitFor = <T>(find: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (ended) {
          done();
          reject(new Error(`the process exited before logging ${what}:\n${stdout}\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    child,
    exited,
    logs,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine: (pattern, timeoutMs = READY_TIMEOUT_MS) => waitFor(() => lines.find((line) => pattern.test(line)), String(pattern), timeoutMs),
    waitForLog: (match, timeoutMs = READY_TIMEOUT_MS) => waitFor(() => logs.find(match), 'a matching log line', timeoutMs),
  };
}

/**
 * Spawns the real server (`node dist/inkql.js serve`, bundled by the tests' global setup), as
 * production runs it, with exactly `env` (the test decides every variable) on a port of its choice.
 */
export function spawnServer(env: Record<string, string>, nodeOptions: readonly string[] = []): ServerProcess {
  return spawnProcess([...nodeOptions, ...SERVE_BUNDLE_ARGS], { env: { PORT: '0', LOG_LEVEL: 'info', ...env } });
}

/** Spawns the server and waits until it logs `inkql ready at <url>`; returns that URL too. */
export async function startServerProcess(
  env: Record<string, string>,
  nodeOptions: readonly string[] = [],
): Promise<StartedServer> {
  const server = spawnServer(env, nodeOptions);
  try {
    const ready = await server.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('inkql ready at '));
    return { ...server, url: ready.url as string };
  } catch (error) {
    server.child.kill('SIGKILL');
    throw error;
  }
}
