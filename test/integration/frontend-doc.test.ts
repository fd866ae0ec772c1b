import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { type CommandSnippet, matchesOutput, readSnippets } from '../support/markdown-snippets.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// docs/frontend.md, run as a reader would: its files saved into an app folder, its commands typed
// into one shell there (real Apollo Client, urql, Relay and graphql-codegen from node_modules),
// against a started server, and each command's output compared with the block the page shows.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = 'docs/frontend.md';
const TOKEN_COMMAND = 'npm run --silent token -- --author 1';
/** The page's server, replaced by the test server's address. */
const PAGE_ORIGIN = 'http://127.0.0.1:4000';
const SHELL_TIMEOUT_MS = 240_000;

const snippets = readSnippets(readFileSync(join(ROOT, PAGE), 'utf8'));
const commands = snippets.filter((s): s is CommandSnippet => s.kind === 'command');

interface ShellRun {
  readonly code: number | null;
  /** Standard output of each command block, in order (missing for blocks after a failure). */
  readonly outputs: string[];
  readonly stderr: string;
}

/** Every command block in one bash session (so `export` carries over), split by markers on stdout. */
function runInOneShell(blocks: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ShellRun> {
  const marker = `--- block end ${process.pid} ---`;
  const script = ['set -euo pipefail', ...blocks.flatMap((block) => [block, `echo '${marker}'`])].join('\n');
  return new Promise((resolve, reject) => {
    // A snippet that never exits (a client left open) fails the run instead of hanging it.
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: SHELL_TIMEOUT_MS, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, outputs: stdout.split(`${marker}\n`).slice(0, -1), stderr }));
  });
}

let database: TestDatabase;
let server: TestServer;
let app: string;
let run: ShellRun;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  const origin = new URL(server.url).origin;
  // Under the repository, so the app's imports and npx find inkql's node_modules.
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  app = mkdtempSync(join(ROOT, 'test-results', 'frontend-doc-'));
  for (const snippet of snippets) {
    if (snippet.kind !== 'file') continue;
    const path = join(app, snippet.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, snippet.text.replaceAll(PAGE_ORIGIN, origin));
  }
  // `npm run token` opens the server's database from another process: a Postgres database can be
  // shared that way, the embedded one of this test (in memory) cannot, so there the token is issued
  // in-process and stands in for the command's output.
  const tokenStandIn = database.databaseUrl ? undefined : `printf '%s' '${await issueApiToken(database.handle.db, 1)}'`;
  const blocks = commands.map((command) => {
    const text = command.text.replaceAll(PAGE_ORIGIN, origin);
    return tokenStandIn ? text.replaceAll(TOKEN_COMMAND, tokenStandIn) : text;
  });
  run = await runInOneShell(blocks, app, {
    ...process.env,
    INKQL: ROOT,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
  });
}, 300_000);

afterAll(async () => {
  if (app) rmSync(app, { recursive: true, force: true });
  await server?.close();
  await database?.close();
});

describe(PAGE, () => {
  it('has runnable snippets only, commands among them', () => {
    expect(commands.length).toBeGreaterThan(5);
    expect(snippets.some((s) => s.kind === 'file')).toBe(true);
  });

  it('runs every command of the page to the end', () => {
    const failed = commands[run.outputs.length];
    expect(run.code, failed ? `the command block at ${PAGE}:${failed.line} failed:\n${run.stderr.slice(-3000)}` : run.stderr.slice(-3000)).toBe(0);
    expect(run.outputs).toHaveLength(commands.length);
  });

  it.each(commands.filter((command) => command.expected).map((command) => [command.line, command] as const))(
    'prints what the page shows for the commands at line %i',
    (_line, command) => {
      const index = commands.indexOf(command);
      const actual = run.outputs[index];
      expect(actual, `no output: an earlier block failed\n${run.stderr.slice(-3000)}`).toBeDefined();
      const expected = command.expected!.text;
      expect(matchesOutput(actual!, expected), `${PAGE}:${command.expected!.line} shows\n${expected}but the commands printed\n${actual}`).toBe(true);
    },
  );
});
