/**
 * The JSON text of `Math.round(ms * 1000) / 1000`, the trace's rounding, written from the whole
 * microseconds: JSON.stringify prints a fraction with V8's shortest-digits algorithm, which made
 * the numbers of a traced response's `resolvers` array the larger part of its serialising, while
 * integers print cheaply. Below a million seconds the decimal of the microseconds is that shortest
 * text; beyond it (never a request's offset) JSON.stringify writes it.
 */
export function millisecondsJson(ms: number): string {
  const us = Math.round(ms * 1000);
  const abs = us < 0 ? -us : us;
  if (!(abs < 1e12)) return JSON.stringify(us / 1000);
  const whole = Math.floor(abs / 1000);
  const fraction = abs - whole * 1000;
  let text = us < 0 ? `-${whole}` : `${whole}`;
  if (fraction === 0) return text;
  if (fraction % 100 === 0) return `${text}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${text}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  text += fraction < 10 ? '.00' : fraction < 100 ? '.0' : '.';
  return text + fraction;
}
