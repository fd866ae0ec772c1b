import { describe, expect, it } from 'vitest';
import { createFaultLog } from '../../src/db/fault-log.ts';

const INTERVAL_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { lines, logger: { warn: at('warn'), error: at('error') } as never };
}

describe('createFaultLog', () => {
  it('logs the first fault of a kind in full and counts the rest into one line per interval', async () => {
    const { lines, logger } = recordingLogger();
    const log = createFaultLog(logger, INTERVAL_MS);
    const first = new Error('first');
    for (let i = 0; i < 50; i++) log('error', 'database down', i === 0 ? first : new Error(`again ${i}`));
    expect(lines).toEqual([{ level: 'error', fields: { err: first }, message: 'database down' }]);
    await sleep(INTERVAL_MS * 1.5);
    expect(lines[1]).toMatchObject({ level: 'error', fields: { count: 49, intervalMs: INTERVAL_MS }, message: 'database down: 49 more in the last 0.2 s' });
    expect((lines[1]!.fields.err as Error).message).toBe('again 49');
  });

  it('keeps kinds apart and starts over after a quiet interval', async () => {
    const { lines, logger } = recordingLogger();
    const log = createFaultLog(logger, INTERVAL_MS);
    log('warn', 'connection lost', new Error('a'));
    log('error', 'database down', new Error('b'));
    expect(lines.map((line) => line.message)).toEqual(['connection lost', 'database down']);
    // No more faults: the windows close without a summary, and the next fault is logged in full.
    await sleep(INTERVAL_MS * 2.5);
    expect(lines).toHaveLength(2);
    log('warn', 'connection lost', new Error('c'));
    expect(lines.map((line) => line.message)).toEqual(['connection lost', 'database down', 'connection lost']);
  });
});
