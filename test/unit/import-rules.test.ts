import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The house rules of src/: requests come in through http/, run through graphql/, and reach the
// services below (cache/, limits/, trace/, db/, pagination/), which never reach back up. Type-only
// imports count: a type import back up is how a service starts depending on the request's shape.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const SERVICES = ['cache', 'limits', 'trace', 'db', 'pagination'];
const ABOVE_SERVICES = ['context.ts', 'http/', 'graphql/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative specifier a file names: static imports and re-exports (type-only too), side-effect imports, dynamic import(). */
function relativeSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g, /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g, /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The graph of src/ as paths relative to src/ (e.g. `trace/field-scope.ts`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = relativeSpecifiers(readFileSync(file, 'utf8'))
      .map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
      .filter((target) => target.startsWith(SRC))
      .map((target) => relative(SRC, target).split('\\').join('/'));
    graph.set(relative(SRC, file).split('\\').join('/'), [...new Set(targets)]);
  }
  return graph;
}

/** Whether a source reads the environment: `process.env`, `process['env']`, or `env` imported from node:process. */
function readsEnvironment(source: string): boolean {
  return /\bprocess\s*(\.\s*env\b|\[\s*['"`]env['"`]\s*\])/.test(source) || /\bimport\s*\{[^}]*\benv\b[^}]*\}\s*from\s*['"](node:)?process['"]/.test(source);
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

describe('import rules of src/', () => {
  const graph = importGraph();

  it('sees the source tree', () => {
    expect(graph.has('server.ts')).toBe(true);
    expect(graph.get('server.ts')!.length).toBeGreaterThan(0);
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps services from importing the request layers above them', () => {
    const upward = [...graph]
      .filter(([file]) => SERVICES.includes(file.split('/')[0]!))
      .flatMap(([file, targets]) =>
        targets.filter((target) => ABOVE_SERVICES.some((above) => target === above || target.startsWith(above))).map((target) => `${file} -> ${target}`),
      );
    expect(upward).toEqual([]);
  });

  it('reads the environment only in config.ts', () => {
    const readers = sourceFiles(SRC)
      .filter((file) => readsEnvironment(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file).split('\\').join('/'));
    expect(readers).toEqual(['config.ts']);
  });

  it('sees every way of reading the environment', () => {
    for (const source of ['process.env.PORT', "process['env']", 'const { env } = process.env;', "import { env } from 'node:process';", "import { argv, env } from 'process';"]) {
      expect(readsEnvironment(source), source).toBe(true);
    }
    expect(readsEnvironment('const environment = loadConfig(env);')).toBe(false);
  });

  it('keeps the trace out of loaders: only the loader factory reaches into trace/', () => {
    // A loader is a statement and a key order; the request's handles record what it runs.
    const reaching = [...graph]
      .filter(([file]) => file.startsWith('loaders/') && file !== 'loaders/create-loader.ts')
      .flatMap(([file, targets]) => targets.filter((target) => target.startsWith('trace/')).map((target) => `${file} -> ${target}`));
    expect(reaching).toEqual([]);
  });

  it('finds cycles and upward imports in a tree that has them', () => {
    const bad = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(cycles(bad)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    expect(relativeSpecifiers("import type { X } from '../context.ts';\nexport { y } from './y.ts';\nimport './z.ts';\nawait import('./w.ts');")).toEqual([
      '../context.ts',
      './y.ts',
      './z.ts',
      './w.ts',
    ]);
  });
});
