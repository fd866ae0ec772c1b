import { badUserInput } from './errors.ts';

// Relay global object IDs: base64 of `Type:databaseId`.
//
//   Post:42   -> UG9zdDo0Mg==
//   Author:7  -> QXV0aG9yOjc=
//
// Clients treat them as opaque; the server decodes them strictly.

export const NODE_TYPES = ['Post', 'Author', 'Tag'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface GlobalId {
  readonly type: NodeType;
  readonly id: number;
}

const PATTERN = /^(Post|Author|Tag):([1-9][0-9]{0,9})$/;
/** Ids are Postgres `integer` columns: a larger one fails the `::int` cast with a 500, so refuse it here. */
export const MAX_DATABASE_ID = 2_147_483_647;

/** "a Post", "an Author": the type names are fixed, so their first letter decides. */
function withArticle(type: NodeType): string {
  return `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;
}

export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}

/**
 * Decodes a global ID; a malformed one, or one of another type than `expected`, is BAD_USER_INPUT
 * naming the argument. A well-formed ID of a row that does not exist is the caller's `null`.
 */
export function parseGlobalId(globalId: string, argumentName: string, expected?: NodeType): GlobalId {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const match = PATTERN.exec(decoded);
  // Re-encoding rejects strings that merely decode to something plausible (base64 is lenient).
  if (!match || toGlobalId(match[1] as NodeType, Number(match[2])) !== globalId || Number(match[2]) > MAX_DATABASE_ID) {
    throw badUserInput(`Argument "${argumentName}" is not a valid ID, got ${JSON.stringify(globalId)}`, argumentName);
  }
  const type = match[1] as NodeType;
  if (expected && type !== expected) {
    throw badUserInput(`Argument "${argumentName}" must be the ID of ${withArticle(expected)}, got the ID of ${withArticle(type)}`, argumentName);
  }
  return { type, id: Number(match[2]) };
}
