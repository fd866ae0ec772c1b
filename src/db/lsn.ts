// A Postgres write-ahead log position (pg_lsn), as Postgres prints it and as inkql's consistency
// token carries it: two hexadecimal numbers, the high and low 32 bits of a 64-bit byte offset.
//
//   "0/3000060"  ->  0x0_03000060n        "16/B374D848"  ->  0x16_B374D848n

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position as a number, or undefined when `text` is not an LSN. */
export function parseLsn(text: string): bigint | undefined {
  const match = LSN.exec(text);
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
