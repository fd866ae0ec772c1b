import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_ARGS } from '../../bench/server-process.ts';

// The bench, the soak and the trace-overhead runs measure the server with SERVER_NODE_ARGS; the
// figures they report are about `npm start` only while the two say the same thing.
describe('npm start', () => {
  it('runs the server with the node flags the bench measures', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(['node', ...SERVER_NODE_ARGS].join(' '));
  });
});
