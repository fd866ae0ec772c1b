import { describe, expect, it } from 'vitest';
import { EXAMPLES, examplesFor, TOKEN_PLACEHOLDER } from '../../explorer/src/examples.ts';

describe('examplesFor', () => {
  it("fills a development server's demo token into the mutation example's Authorization header", () => {
    const examples = examplesFor('inkql_demo');
    const createPost = examples.find((example) => example.title === 'Create a post');
    expect(JSON.parse(createPost!.headers!)).toEqual({ Authorization: 'Bearer inkql_demo' });
    expect(examples.map((example) => example.query)).toEqual(EXAMPLES.map((example) => example.query));
  });

  it('keeps the placeholder without a demo token (production)', () => {
    const createPost = examplesFor(undefined).find((example) => example.title === 'Create a post');
    expect(JSON.parse(createPost!.headers!)).toEqual({ Authorization: `Bearer ${TOKEN_PLACEHOLDER}` });
  });
});
