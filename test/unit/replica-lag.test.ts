import { describe, expect, it } from 'vitest';
import { formatLsn, parseLsn } from '../../src/db/lsn.ts';
import { replicaLagMs } from '../../src/db/replica-lag.ts';

describe('parseLsn / formatLsn', () => {
  it('reads both halves as hexadecimal', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(parseLsn('0/3000060')).toBe(0x3000060n);
  });

  it('orders positions across the 32-bit boundary', () => {
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
  });

  it('writes what it reads', () => {
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
  });

  it('refuses anything else', () => {
    for (const bad of ['', '0', '0/', '/1', 'G/1', '0/1/2', '123456789/0', ' 0/1']) expect(parseLsn(bad)).toBeUndefined();
  });
});

describe('replicaLagMs', () => {
  const samples = [
    { at: 1000, lsn: 100n },
    { at: 1200, lsn: 150n },
    { at: 1400, lsn: 150n },
    { at: 1600, lsn: 300n },
  ];

  it('is 0 for a replica that replayed the newest position, however old the last write', () => {
    expect(replicaLagMs(samples, 300n, 9000)).toBe(0);
  });

  it('is the age of the oldest position not replayed yet', () => {
    expect(replicaLagMs(samples, 150n, 1700)).toBe(100);
    expect(replicaLagMs(samples, 120n, 1700)).toBe(500);
  });

  it('is at least the age of the oldest sample for a replica behind all of them', () => {
    expect(replicaLagMs(samples, 10n, 1700)).toBe(700);
  });
});
