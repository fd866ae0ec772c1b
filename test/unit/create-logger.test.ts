import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/create-logger.ts';

/** A stream that keeps what is written to it, claiming to be a terminal or not. */
function capture(isTTY: boolean): Writable & { isTTY: boolean; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return Object.assign(stream, { isTTY, text: () => text });
}

const REQUEST_LINE = { reqId: 'req-7', method: 'POST', path: '/graphql', status: 200, durationMs: 3.2, sqlCount: 3, cost: 42 };

describe('createLogger', () => {
  it('writes readable text to a terminal in development', () => {
    const out = capture(true);
    createLogger({ level: 'info' }, true, out).info(REQUEST_LINE, 'POST /graphql Posts 200 in 3.2 ms (3 SQL, cost 42)');
    const text = out.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toContain('INFO');
    expect(text).toContain('req-7 POST /graphql Posts 200 in 3.2 ms (3 SQL, cost 42)');
    // The fields the message already says are not repeated below it.
    expect(text).not.toMatch(/sqlCount|durationMs/);
  });

  it('writes JSON lines in production, terminal or not', () => {
    const out = capture(true);
    createLogger({ level: 'info' }, false, out).info(REQUEST_LINE, 'done');
    expect(JSON.parse(out.text())).toMatchObject({ ...REQUEST_LINE, msg: 'done', level: 30 });
  });

  it('writes JSON lines in development when the output is not a terminal (a pipe, a file)', () => {
    const out = capture(false);
    createLogger({ level: 'info' }, true, out).info(REQUEST_LINE, 'done');
    expect(JSON.parse(out.text())).toMatchObject({ ...REQUEST_LINE, msg: 'done' });
  });
});
