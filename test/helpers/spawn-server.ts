import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SERVE_BUNDLE_ARGS } from '../../scripts/build-server.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Start-up may include creating and seeding an embedded database on a busy machine. */
export const READY_TIMEOUT_MS = 180_000;

export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** Every pino log line so far, parsed (non-JSON lines as { msg: line }). */
  readonly logs: Record<string, any>[];
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  /** Resolves with the first log line that `match` accepts (already logged or still to come). */
  waitForLog(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

/**
 * Starts the real server process (`node dist/inkql.js serve`, bundled by the tests' global setup) with exactly `env` (the
 * test builds it; nothing is inherited) and resolves once it logs `inkql ready at <url>`.
 */
export async function spawnServer(env: Record<string, string>): Promise<SpawnedServer> {
  const child = spawn(process.execPath, SERVE_BUNDLE_ARGS, {
    cwd: REPO_ROOT,
    env: { PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, any>[] = [];
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let parsed: Record<string, any>;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = { msg: line };
    }
    logs.push(parsed);
    for (const wake of waiters) wake();
  });

  const waitForLog = (match: (line: Record<string, any>) => boolean, timeoutMs = READY_TIMEOUT_MS) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const check = () => {
        const found = logs.find(match);
        if (found) {
          done();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr:\n${stderr.join('')}`));
      }, timeoutMs);
      const onExit = () => {
        done();
        reject(new Error(`the server exited before the log line; stderr:\n${stderr.join('')}`));
      };
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', onExit);
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });

  try {
    const ready = await waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('inkql ready at '));
    return { child, url: ready.url, logs, exited, waitForLog };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
