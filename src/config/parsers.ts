import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';

/** A variable's value that start-up refuses: the message names the variable, the value and what was expected. */
export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

/**
 * How one variable's text becomes a value, and how a value is written back as that text (so the
 * docs show a default exactly as a user would set it). `read` never sees an empty string: empty
 * means unset, and the default applies.
 */
export interface Parser<T> {
  read(raw: string, variable: string): T;
  show(value: T): string;
}

export function integer(min: number, max: number): Parser<number> {
  return {
    read: (raw, variable) => {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(variable, raw, `an integer from ${min} to ${max}`);
      return value;
    },
    show: String,
  };
}

export function choice<const T extends string>(choices: readonly T[]): Parser<T> {
  return {
    read: (raw, variable) => {
      if (!(choices as readonly string[]).includes(raw)) throw new ConfigError(variable, raw, `one of ${choices.join(', ')}`);
      return raw as T;
    },
    show: String,
  };
}

/** `on` | `off`. */
export const onOff: Parser<boolean> = {
  read: (raw, variable) => choice(['on', 'off']).read(raw, variable) === 'on',
  show: (value) => (value ? 'on' : 'off'),
};

/** `1` | `true` | `0` | `false`, the usual spelling of LOG_-style switches. */
export const flag: Parser<boolean> = {
  read: (raw, variable) => {
    const value = choice(['0', '1', 'true', 'false']).read(raw, variable);
    return value === '1' || value === 'true';
  },
  show: (value) => (value ? '1' : '0'),
};

/** A decimal number from `min` to `max` (a ratio: `0.25`). */
export function decimal(min: number, max: number): Parser<number> {
  return {
    read: (raw, variable) => {
      const value = Number(raw);
      if (!Number.isFinite(value) || value < min || value > max) throw new ConfigError(variable, raw, `a number from ${min} to ${max}`);
      return value;
    },
    show: String,
  };
}

/** Any text, kept as given. */
export const text: Parser<string> = { read: (raw) => raw, show: String };

export function url(protocols: readonly string[]): Parser<string> {
  const expected = `a URL (${protocols.join(' or ')})`;
  return {
    read: (raw, variable) => {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new ConfigError(variable, raw, expected);
      }
      if (!protocols.includes(parsed.protocol)) throw new ConfigError(variable, raw, expected);
      return raw;
    },
    show: String,
  };
}

/** keyv 5.6's getMany mishandles keys that start with `<namespace>:`; APQ keys start with `apq:`. */
export const namespace: Parser<string> = {
  read: (raw, variable) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw) || raw === 'apq') {
      throw new ConfigError(variable, raw, '1 to 64 letters, digits, "_", "." or "-", and not "apq"');
    }
    return raw;
  },
  show: String,
};

/** proxy-addr's names for ranges, accepted beside addresses and CIDRs. */
const PROXY_RANGE_NAMES: ReadonlySet<string> = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyRange(range: string): boolean {
  if (PROXY_RANGE_NAMES.has(range)) return true;
  const [address, bits, ...rest] = range.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * `on` | `off` | comma-separated proxy addresses, CIDR ranges or range names, as Fastify's
 * `trustProxy` takes them. No hop count: Fastify 5 trusts nothing for a number (it cannot check the
 * immediate peer), so a count would silently do nothing.
 */
export const trustProxy: Parser<boolean | readonly string[]> = {
  read: (raw, variable) => {
    if (raw === 'on') return true;
    if (raw === 'off') return false;
    const ranges = raw.split(',').map((part) => part.trim());
    if (ranges.every(isProxyRange)) return Object.freeze(ranges);
    throw new ConfigError(variable, raw, 'on, off, or comma-separated proxy IP addresses, CIDR ranges or loopback/linklocal/uniquelocal');
  },
  show: (value) => (typeof value === 'boolean' ? (value ? 'on' : 'off') : value.join(',')),
};

/** `auto` (one per core this process may use) or a count of server processes. */
export function workerCount(max: number): Parser<number> {
  return {
    read: (raw, variable) => (raw === 'auto' ? Math.min(availableParallelism(), max) : integer(1, max).read(raw, variable)),
    show: String,
  };
}
/** `https://app.example.com,http://localhost:5173` or `*`: each an origin exactly as a browser sends it. */
export const origins: Parser<readonly string[]> = {
  read: (raw, variable) => {
    const list = raw.split(',').map((part) => part.trim());
    const isOrigin = (origin: string) => {
      if (origin === '*') return true;
      try {
        const parsed = new URL(origin);
        return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === origin;
      } catch {
        return false;
      }
    };
    if (list.every(isOrigin)) return Object.freeze(list);
    throw new ConfigError(
      variable,
      raw,
      'comma-separated origins like https://app.example.com (scheme, host and port only, no path or trailing slash), or *',
    );
  },
  show: (value) => value.join(','),
};

/** Comma-separated URLs, each as `url(protocols)` reads it. */
export function urlList(protocols: readonly string[]): Parser<readonly string[]> {
  const one = url(protocols);
  return {
    read: (raw, variable) => Object.freeze(raw.split(',').map((part) => one.read(part.trim(), variable))),
    show: (value) => value.join(','),
  };
}

/** A secret sent as a header value (`Authorization: Bearer <token>`): one word, or it could never match. */
export const headerToken: Parser<string> = {
  read: (raw, variable) => {
    if (/\s/.test(raw)) throw new ConfigError(variable, raw, 'a token without spaces');
    return raw;
  },
  show: String,
};
