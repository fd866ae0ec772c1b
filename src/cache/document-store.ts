import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { ByteLru, stringBytes } from './byte-lru.ts';

// What a parsed document keeps alive while Apollo's document store holds it, measured on this
// schema (parse, validate, one graphql-jit compile): about 3 KB whatever its size, plus 470-620
// bytes per token (the AST, its locations and the compiled query), plus the whole source text
// (`loc.source`, comments included). The constants round those up, leaving room for the
// per-document state of plugins (cache policy, a second compile for traced requests).
export const DOCUMENT_BASE_BYTES = 4 * 1024;
export const DOCUMENT_TOKEN_BYTES = 1024;

/** The bytes one cached document is counted for: its source and what is derived from it. */
export function documentBytes(document: DocumentNode): number {
  let tokens = 0;
  // The lexer links every token it read, comments included (at most INKQL_MAX_TOKENS of them
  // besides comments), from the start-of-file token on.
  for (let token = document.loc?.startToken; token; token = token.next ?? undefined) tokens++;
  return DOCUMENT_BASE_BYTES + stringBytes(document.loc?.source.body ?? '') + tokens * DOCUMENT_TOKEN_BYTES;
}

/**
 * Apollo's parsed-and-validated document cache, bounded by documentBytes rather than by
 * JSON.stringify(document) (Apollo's default), which leaves out the source text and everything
 * keyed on the document: compiled queries and plugin state live in WeakMaps keyed by the
 * DocumentNode, so they leave when it is evicted. In front of it, `pinned` documents (trusted
 * documents prepared at start-up, keyed by the SHA-256 of their source) are always found and
 * never evicted: the manifest bounds them, not the client.
 */
export function createDocumentStore(
  maxBytes: number,
  pinned: ReadonlyMap<string, DocumentNode> = new Map(),
): KeyValueCache<DocumentNode> & { readonly bytes: number; readonly size: number } {
  const documents = new ByteLru<DocumentNode>(maxBytes, documentBytes);
  // Apollo's keys are "<schema hash>:<sha256 of the source>"; pinned documents are keyed by the latter.
  const pinnedOf = (key: string) => (pinned.size === 0 ? undefined : pinned.get(key.slice(key.lastIndexOf(':') + 1)));
  return {
    get bytes() {
      return documents.bytes;
    },
    get size() {
      return documents.size;
    },
    get: async (key) => pinnedOf(key) ?? documents.get(key),
    set: async (key, value) => {
      if (!pinnedOf(key)) documents.set(key, value);
    },
    delete: async (key) => {
      documents.delete(key);
    },
  };
}
