import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildServer, SERVE_BUNDLE_ARGS } from '../scripts/build-server.ts';
import { freePort } from '../test/support/free-port.ts';
import { spawnProcess } from '../test/support/server-process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The heap flags of `npm start` (package.json; a unit test holds the two together). */
export const SERVER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=80'];
/** The command of `npm start`: the server is measured as it is run (the bundle is built first). */
export const SERVER_NODE_ARGS = [...SERVER_V8_FLAGS, ...SERVE_BUNDLE_ARGS];
export const READY_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 200;
/** USER_HZ: 100 on every Linux build that matters. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resident set size of the server process now, in MB (Linux /proc; NaN elsewhere). */
  rssMb(): number;
  /**
   * CPU time the server process has used so far, in ms (Linux /proc; NaN elsewhere). Per request,
   * it is the figure least disturbed by neighbours on a shared machine.
   */
  cpuMs(): number;
  stop(): Promise<void>;
}

function readRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, after the parenthesised command name). */
function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts `src/main.ts serve` of the checkout at `root` as a child process (its own process: the
 * load generator must not share its event loop).
 */
export async function startServer(env: Record<string, string>, root: string = ROOT, nodeArgs: readonly string[] = SERVER_NODE_ARGS): Promise<ServerProcess> {
  // This checkout's sources, or the other checkout's for bench:compare, bundled as npm start does.
  await buildServer(root);
  return runUntilReady(nodeArgs, env, root);
}

/** The PostGraphile 5 server of bench/reference/ over the database at `databaseUrl`, on `node` (22: see bench/node22.ts). */
export function startPostGraphile(databaseUrl: string, node: string, v8Flags: readonly string[]): Promise<ServerProcess> {
  const args = [...v8Flags, '--import', 'tsx', 'bench/reference/postgraphile-server.ts'];
  return runUntilReady(args, { DATABASE_URL: databaseUrl }, ROOT, node);
}

/** Runs `node <nodeArgs>` in `root` on a free port and waits until its /readyz answers. */
async function runUntilReady(nodeArgs: readonly string[], env: Record<string, string>, root: string, node?: string): Promise<ServerProcess> {
  const port = await freePort();
  const { child, exited, stderr } = spawnProcess(nodeArgs, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env, PORT: String(port), HOST: '127.0.0.1' },
    echoStdout: true,
    echoStderr: true,
    node,
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready: ${stderr().trim()}`);
    try {
      const response = await fetch(`${base}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const pid = child.pid as number;
  return {
    url: `${base}/graphql`,
    pid,
    rssMb: () => readRssMb(pid),
    cpuMs: () => readCpuMs(pid),
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
