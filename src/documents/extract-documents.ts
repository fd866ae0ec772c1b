import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  visit,
} from 'graphql';
import { APOLLO_MANIFEST_FORMAT } from './read-trusted-manifest.ts';
import { sha256Hex } from './sha256-hex.ts';

// Builds a trusted-documents manifest from the operations found under a directory: `.graphql` and
// `.gql` files whole, and in `.ts`/`.tsx`/`.js`/`.jsx` files the template literals marked
// `/* GraphQL */`, `gql` or `graphql` (without `${}` interpolations). Each named operation is one
// entry, with the fragments it spreads (from any file). Its body is what Apollo's
// generate-persisted-query-manifest and its persisted-query link send: the operation and its
// fragments sorted (operations first, then by name) and printed by graphql-js's `print`, which
// drops comments and normalises whitespace. Its id is the SHA-256 of that body string, so a client
// that sends the printed body (or its hash) matches.

export interface ManifestOperation {
  readonly id: string;
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly body: string;
}

export interface ApolloManifest {
  readonly format: typeof APOLLO_MANIFEST_FORMAT;
  readonly version: 1;
  readonly operations: readonly ManifestOperation[];
}

const SCRIPT = /\.(ts|tsx|js|jsx|mts|mjs)$/;
const GRAPHQL = /\.(graphql|gql)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.git']);
const TAGGED = /(?:\/\*\s*GraphQL\s*\*\/\s*|\b(?:gql|graphql)\s*)`([^`]*)`/g;

/** A source of GraphQL found under the directory: where it came from (for messages) and its text. */
interface Source {
  readonly where: string;
  readonly text: string;
}

/** The manifest of the operations under `dir`, leaving out files whose path contains one of `exclude`. */
export function extractManifest(dir: string, exclude: readonly string[] = []): ApolloManifest {
  const definitions: { where: string; definition: DefinitionNode }[] = [];
  for (const { where, text } of findSources(dir, exclude)) {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    for (const definition of document.definitions) definitions.push({ where, definition });
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations = new Map<string, { where: string; operation: OperationDefinitionNode }>();
  for (const { where, definition } of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      if (fragments.has(definition.name.value)) throw new Error(`${where}: fragment ${definition.name.value} is defined twice`);
      fragments.set(definition.name.value, definition);
    } else if (definition.kind === Kind.OPERATION_DEFINITION) {
      const name = definition.name?.value;
      if (!name) throw new Error(`${where}: an operation has no name (each entry is known by its operation's name)`);
      const earlier = operations.get(name);
      if (earlier) throw new Error(`${where}: operation ${name} is also defined in ${earlier.where}`);
      operations.set(name, { where, operation: definition });
    }
  }
  return {
    format: APOLLO_MANIFEST_FORMAT,
    version: 1,
    operations: [...operations.values()].map(({ where, operation }) => {
      const body = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragmentsOf(operation, fragments, where)] });
      return { id: sha256Hex(body), name: operation.name!.value, type: operation.operation, body };
    }),
  };
}

/** The fragments an operation spreads, directly or through other fragments, sorted by name. */
function fragmentsOf(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, where: string): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`${where}: operation ${operation.name?.value} spreads fragment ${name}, which no file defines`);
        used.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...used.values()].sort((a, b) => (a.name.value < b.name.value ? -1 : a.name.value > b.name.value ? 1 : 0));
}

function findSources(dir: string, exclude: readonly string[]): Source[] {
  const sources: Source[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = join(path, entry.name);
      if (exclude.some((text) => child.includes(text))) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(child);
      } else if (GRAPHQL.test(entry.name)) {
        sources.push({ where: relative(process.cwd(), child), text: readFileSync(child, 'utf8') });
      } else if (SCRIPT.test(entry.name)) {
        const text = readFileSync(child, 'utf8');
        for (const match of text.matchAll(TAGGED)) {
          if (match[1]!.includes('${')) continue;
          const line = text.slice(0, match.index).split('\n').length;
          sources.push({ where: `${relative(process.cwd(), child)}:${line}`, text: match[1]! });
        }
      }
    }
  };
  walk(dir);
  return sources;
}
