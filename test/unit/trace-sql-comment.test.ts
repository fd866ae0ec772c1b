import { describe, expect, it } from 'vitest';
import { formatComment, hasTraceparent, MAX_SQL_COMMENTS, sqlComment, withTraceparent } from '../../src/trace/sql-comment.ts';
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

  it("adds a sampled request's traceparent as the last key, and recognises such a text", () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const comment = withTraceparent("/*operation='Feed',path='posts'*/", traceparent);
    expect(comment).toBe(`/*operation='Feed',path='posts',traceparent='${traceparent}'*/`);
    expect(withTraceparent('', traceparent)).toBe(`/*traceparent='${traceparent}'*/`);
    expect(hasTraceparent(`select 1 where id = $1 ${comment}`)).toBe(true);
    expect(hasTraceparent(`select 1 where id = $1 /*traceparent='${traceparent}'*/`)).toBe(true);
    // The comments every other request sends keep their prepared statement.
    expect(hasTraceparent("select 1 where id = $1 /*operation='Feed',path='posts'*/")).toBe(false);
    expect(hasTraceparent("select 1 where note = 'traceparent=' and id = $1")).toBe(false);
    expect(hasTraceparent('*/')).toBe(false);
  });
});
