import { describe, expect, it } from 'vitest';
import { formatComment, MAX_SQL_COMMENTS, sqlComment } from '../../src/trace/sql-comment.ts';
import { RequestTrace } from '../../src/trace/request-trace.ts';

const path = (...keys: (string | number)[]) =>
  keys.reduce<any>((prev, key) => ({ prev, key, typename: undefined }), undefined);

describe('sqlcommenter comments', () => {
  it('sorts keys and quotes URL-encoded values', () => {
    expect(formatComment({ path: 'posts.nodes.author', operation: 'Posts Page' })).toBe("/*operation='Posts%20Page',path='posts.nodes.author'*/");
  });

  it('can never close the comment or the quotes early', () => {
    expect(formatComment({ operation: "x*/ drop table posts; /*'" })).toBe("/*operation='x%2A%2F%20drop%20table%20posts%3B%20%2F%2A%27'*/");
  });

  it('names the operation and the field path without list indices', () => {
    const trace = new RequestTrace(0);
    trace.operationName = 'PostsPage';
    expect(sqlComment({ trace, field: 'Post.author', fieldPath: path('posts', 'nodes', 7, 'author') })).toBe(
      "/*operation='PostsPage',path='posts.nodes.author'*/",
    );
  });

  it('falls back to the schema field once clients have sent too many distinct operation names', () => {
    const trace = new RequestTrace(0);
    const scope = { trace, field: 'Post.author', fieldPath: path('posts', 'nodes', 0, 'author') };
    trace.operationName = 'Op7';
    expect(sqlComment(scope)).toBe("/*operation='Op7',path='posts.nodes.author'*/");
    // Fill the cap (other tests of this file may have used some of it already).
    for (let i = 0; i < MAX_SQL_COMMENTS; i++) {
      trace.operationName = `Op${i}`;
      sqlComment(scope);
    }
    trace.operationName = 'OneTooMany';
    expect(sqlComment(scope)).toBe("/*field='Post.author'*/");
    trace.operationName = 'Op7';
    expect(sqlComment(scope)).toBe("/*operation='Op7',path='posts.nodes.author'*/");
  });

  it('leaves statements outside any field alone', () => {
    expect(sqlComment({ trace: new RequestTrace(0) })).toBe('');
  });
});
