import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from '../../src/db/parse-timestamptz.ts';

const pgParse = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number | null;

const time = (value: Date | number | null) => (value instanceof Date ? value.getTime() : value);

describe('parseTimestamptz', () => {
  it('reads what pg reads for the shapes Postgres sends', () => {
    const samples = [
      '2024-03-09 14:05:07+00',
      '2024-03-09 14:05:07.1+00',
      '2024-03-09 14:05:07.12+00',
      '2024-03-09 14:05:07.123+00',
      '2024-03-09 14:05:07.123456+00',
      '2024-03-09 14:05:07.999999-08',
      '2024-12-31 23:59:59.5+05:30',
      '2000-02-29 00:00:00-03:30',
      '1970-01-01 00:00:00+14',
      '9999-12-31 23:59:59.999+00',
      '1000-01-01 00:00:00+00',
    ];
    for (const text of samples) expect(time(parseTimestamptz(text)), text).toBe(time(pgParse(text)));
  });

  it('agrees with pg on thousands of generated values', () => {
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    for (let k = 0; k < 5000; k++) {
      const fraction = next(7);
      const offsetHours = next(15);
      const offset = `${next(2) ? '+' : '-'}${pad(offsetHours, 2)}${next(3) === 0 ? `:${pad(next(4) * 15, 2)}` : ''}`;
      const text =
        `${pad(1000 + next(9000), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(28), 2)} ` +
        `${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}` +
        (fraction ? `.${pad(next(10 ** fraction), fraction)}` : '') +
        offset;
      expect(time(parseTimestamptz(text)), text).toBe(time(pgParse(text)));
    }
  });

  it('hands every other shape to pg: BC, early years, infinity, second offsets', () => {
    for (const text of ['0044-03-15 12:00:00+00 BC', '0099-01-01 00:00:00+00', 'infinity', '-infinity', '1900-01-01 00:00:00+00:19:32']) {
      expect(time(parseTimestamptz(text)), text).toEqual(time(pgParse(text)));
    }
  });
});
