import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVE_BUNDLE_ARGS } from '../../scripts/build-server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The real server as its own process (`node dist/inkql.js serve`, bundled by the tests' global setup), as production runs it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process ends, with its exit code (null when a signal ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process ends first. */
  waitForLine(pattern: RegExp): Promise<string>;
}

/**
 * Spawns the server with exactly `env` (nothing inherited: the test decides every variable).
 * `node` itself rather than `npm start`, so a signal reaches the server and not a wrapper.
 */
export function spawnServer(env: Record<string, string>, nodeOptions: readonly string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...nodeOptions, ...SERVE_BUNDLE_ARGS], {
    cwd: ROOT,
    env: { PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lineWaiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of lineWaiters) check();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const check of lineWaiters) check();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = stdout.split('\n').find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            lineWaiters.delete(check);
            resolve(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            lineWaiters.delete(check);
            reject(new Error(`server exited before logging ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        lineWaiters.add(check);
        check();
      }),
  };
}

/** Spawns the server and waits until it is listening; returns its GraphQL URL. */
export async function startServerProcess(
  env: Record<string, string>,
  nodeOptions: readonly string[] = [],
): Promise<ServerProcess & { url: string }> {
  const server = spawnServer(env, nodeOptions);
  const line = await server.waitForLine(/inkql ready at/);
  const url = (JSON.parse(line) as { url: string }).url;
  return { ...server, url };
}
