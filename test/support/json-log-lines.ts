import { Writable } from 'node:stream';

/** A stream for a pino logger whose JSON lines land, parsed, in `lines`. */
export function jsonLogLines(): { lines: Record<string, any>[]; out: Writable } {
  const lines: Record<string, any>[] = [];
  const out = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, out };
}
