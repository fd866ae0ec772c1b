import { readFileSync } from 'node:fs';
import { sha256Hex } from './sha256-hex.ts';

// A trusted-documents manifest, in either of the shapes client tooling writes:
//
//   key-value (GraphQL Codegen's client preset, GraphQL Hive):
//     { "sha256:<64 hex>": "<document>", "<64 hex>": "<document>" }
//     every key is the SHA-256 of its document's exact text, and is checked.
//
//   Apollo's persisted-query list (@apollo/generate-persisted-query-manifest):
//     { "format": "apollo-persisted-query-manifest", "version": 1,
//       "operations": [{ "id": "...", "name": "...", "type": "query", "body": "<document>" }] }
//     ids are whatever the tool's createOperationId chose (the SHA-256 of the body by default), so
//     they are checked only when they look like one (64 hex digits, or "sha256:" and 64 hex digits).

export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export interface TrustedEntry {
  /** The id clients send, as the manifest spells it. */
  readonly id: string;
  /** The document's exact text. */
  readonly body: string;
  /** SHA-256 of `body`, hex: the key APQ clients and Apollo's document store use. */
  readonly hash: string;
}

/** A manifest that cannot be served: the message names the file and, when one is at fault, the entry. */
export class ManifestError extends Error {
  constructor(file: string, problem: string, entry?: string) {
    super(`trusted documents manifest ${file}${entry === undefined ? '' : `, entry ${JSON.stringify(entry)}`}: ${problem}`);
    this.name = 'ManifestError';
  }
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The hash a key or id claims to be (`sha256:<hex>` or bare hex), or undefined when it claims none. */
export function claimedHash(id: string): string | undefined {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return HEX_HASH.test(hex.toLowerCase()) ? hex.toLowerCase() : undefined;
}

export function readTrustedManifest(file: string): TrustedEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseTrustedManifest(file, text);
}

/** The entries of a manifest's text; throws a ManifestError at the first thing wrong. */
export function parseTrustedManifest(file: string, text: string): TrustedEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `is not JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ManifestError(file, `expected an object of "sha256:<hash>": "<document>" or an ${APOLLO_MANIFEST_FORMAT}`);
  }
  const record = json as Record<string, unknown>;
  const entries = 'format' in record ? apolloEntries(file, record) : keyValueEntries(file, record);
  const seen = new Set<string>();
  for (const entry of entries) {
    // "sha256:<h>" and "<h>" name one document: both spellings are served, so neither may repeat.
    const hash = claimedHash(entry.id);
    for (const key of hash ? [hash] : [entry.id]) {
      if (seen.has(key)) throw new ManifestError(file, 'appears twice', entry.id);
      seen.add(key);
    }
  }
  return entries;
}

function keyValueEntries(file: string, record: Record<string, unknown>): TrustedEntry[] {
  return Object.entries(record).map(([id, body]) => {
    if (typeof body !== 'string' || body.trim() === '') throw new ManifestError(file, 'expected the document text as a non-empty string', id);
    const hash = claimedHash(id);
    if (!hash) throw new ManifestError(file, 'expected a key of "sha256:" and 64 hex digits, or 64 hex digits', id);
    return checked(file, id, body, hash);
  });
}

function apolloEntries(file: string, record: Record<string, unknown>): TrustedEntry[] {
  if (record.format !== APOLLO_MANIFEST_FORMAT) {
    throw new ManifestError(file, `unknown format ${JSON.stringify(record.format)}: expected ${JSON.stringify(APOLLO_MANIFEST_FORMAT)}`);
  }
  if (record.version !== 1) throw new ManifestError(file, `unknown version ${JSON.stringify(record.version)} of ${APOLLO_MANIFEST_FORMAT}: expected 1`);
  if (!Array.isArray(record.operations)) throw new ManifestError(file, 'expected "operations" to be an array');
  return record.operations.map((operation: unknown, index) => {
    const { id, body, name } = (operation && typeof operation === 'object' ? operation : {}) as Record<string, unknown>;
    const label = typeof id === 'string' ? id : typeof name === 'string' ? name : `operations[${index}]`;
    if (typeof id !== 'string' || id === '') throw new ManifestError(file, 'expected a non-empty string "id"', label);
    if (typeof body !== 'string' || body.trim() === '') throw new ManifestError(file, 'expected the document text as a non-empty string "body"', label);
    const hash = claimedHash(id);
    return hash ? checked(file, id, body, hash) : { id, body, hash: sha256Hex(body) };
  });
}

function checked(file: string, id: string, body: string, claimed: string): TrustedEntry {
  const hash = sha256Hex(body);
  if (hash !== claimed) throw new ManifestError(file, `is not the SHA-256 of its document (which is ${hash})`, id);
  return { id, body, hash };
}
