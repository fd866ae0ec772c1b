import { describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId } from '../../src/global-id.ts';

const badInput = (argumentName: string) =>
  expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argumentName }) });

describe('global IDs', () => {
  it('are base64 of Type:id, the Relay way', () => {
    expect(toGlobalId('Post', 42)).toBe('UG9zdDo0Mg==');
    expect(Buffer.from(toGlobalId('Author', 7), 'base64').toString()).toBe('Author:7');
  });

  it('round-trip for every node type', () => {
    for (const type of ['Post', 'Author', 'Tag'] as const) {
      expect(parseGlobalId(toGlobalId(type, 2_147_483_647), 'id')).toEqual({ type, id: 2_147_483_647 });
    }
  });

  it('accept the expected type', () => {
    expect(parseGlobalId(toGlobalId('Post', 1), 'id', 'Post')).toEqual({ type: 'Post', id: 1 });
  });

  it.each([
    ['garbage', 'not-an-id'],
    ['an empty string', ''],
    ['an unknown type', Buffer.from('User:1').toString('base64')],
    ['no id', Buffer.from('Post:').toString('base64')],
    ['id 0', Buffer.from('Post:0').toString('base64')],
    ['a negative id', Buffer.from('Post:-1').toString('base64')],
    ['a leading zero', Buffer.from('Post:01').toString('base64')],
    ['a fractional id', Buffer.from('Post:1.5').toString('base64')],
    ['an id past int4', Buffer.from('Post:2147483648').toString('base64')],
    ['trailing text', Buffer.from('Post:1 ').toString('base64')],
    ['no padding', toGlobalId('Post', 42).replace(/=+$/, '')],
    ['base64url instead of base64', Buffer.from('Post:1023>').toString('base64url')],
  ])('refuse %s as BAD_USER_INPUT naming the argument', (_name, globalId) => {
    expect(() => parseGlobalId(globalId, 'authorId')).toThrow(badInput('authorId'));
    expect(() => parseGlobalId(globalId, 'authorId')).toThrow(/"authorId" is not a valid ID/);
  });

  it('refuse an ID of another type than expected, naming both types', () => {
    expect(() => parseGlobalId(toGlobalId('Author', 1), 'id', 'Post')).toThrow(badInput('id'));
    expect(() => parseGlobalId(toGlobalId('Author', 1), 'id', 'Post')).toThrow(/"id" must be the ID of a Post, got the ID of an Author/);
  });
});
