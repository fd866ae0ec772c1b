import { createHash } from 'node:crypto';

/** The SHA-256 of a document's exact text (UTF-8), in lowercase hex: what APQ and persisted-query manifests use as its id. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
