import { createHash } from 'node:crypto';

/**
 * Whose bucket pays for a request: the bearer token when one is sent (hashed: tokens are not
 * written to Redis keys), else the client's IP address.
 */
export function clientKeyOf(authorization: string | undefined, ip: string): string {
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  if (match) return `token:${createHash('sha256').update(match[1]!).digest('hex').slice(0, 32)}`;
  return `ip:${ip}`;
}
