import { createHash } from 'node:crypto';

/** A text longer than this is never named: a statement that long is not one the server builds for every request. */
export const MAX_NAMED_TEXT_LENGTH = 16 * 1024;

/**
 * The names under which statement texts are prepared on the pool's connections. A named text
 * costs every connection a parsed statement and a cached plan in its Postgres backend for the
 * connection's life, and texts follow the shapes clients' queries take (columns, orderings,
 * relations, page sizes), which a client chooses. So only the first `maxTexts` distinct texts are
 * named; a later one is sent unnamed, parsed and planned on each call, and neither this process
 * nor Postgres holds more for it. The server's own shapes are met first and stay named.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(readonly maxTexts: number) {}

  /** The name to prepare `text` under, or undefined: send it unnamed. */
  nameOf(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size >= this.maxTexts || text.length > MAX_NAMED_TEXT_LENGTH) return name;
    const created = 'inkql_' + createHash('sha1').update(text).digest('base64url');
    this.names.set(text, created);
    return created;
  }

  get size(): number {
    return this.names.size;
  }
}
