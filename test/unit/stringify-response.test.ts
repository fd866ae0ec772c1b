import { describe, expect, it } from 'vitest';
import { stringifyResponse } from '../../src/graphql/stringify-response.ts';
import { millisecondsJson } from '../../src/trace/milliseconds-json.ts';
import { RequestTrace, round } from '../../src/trace/request-trace.ts';
import type { Path } from '../../src/trace/response-path.ts';

const pathOf = (...keys: (string | number)[]): Path => keys.reduce<Path | undefined>((prev, key) => ({ prev, key, typename: undefined }), undefined)!;

describe('millisecondsJson', () => {
  it('writes what JSON.stringify writes of the trace rounding', () => {
    const values = [0, -0, 0.0004, -0.0004, 0.0005, 0.001, 0.01, 0.1, 0.12, 0.102, 0.012, 1, 1.5, 1.05, 1.005, 2.623, 12.4, 999.9995, 1e-9, -3.25, 86_400_000.001, 1e9 + 0.5, 1e15, Number.NaN, Infinity];
    for (let i = 0; i < 20_000; i++) values.push(Math.random() * 10 ** Math.floor(Math.random() * 8), -Math.random() * 100);
    for (const ms of values) expect(millisecondsJson(ms), String(ms)).toBe(JSON.stringify(round(ms)));
  });
});

describe('stringifyResponse', () => {
  const traced = () => {
    const trace = new RequestTrace(100);
    trace.addResolver(pathOf('posts'), 'Query.posts', 100.5, 103.12345);
    trace.addResolver(pathOf('posts', 'nodes', 0, 'author'), 'Post.author', 101.0001, 104.9);
    trace.addResolver(pathOf('first', 'nodes', 12, 'tags'), 'Post.tags', 102, 102);
    trace.addResolver('a "quoted" path', 'Query.posts', 103.25, 110);
    trace.operationName = 'Feed';
    return trace;
  };

  it('writes a shown trace as JSON.stringify writes its records', () => {
    const trace = traced();
    const result = { data: { posts: { title: '\u0000inkql prebuilt json\u0000 "resolvers"' } }, extensions: { cost: { requestedQueryCost: 3 } } };
    const text = stringifyResponse({ ...result, extensions: { ...result.extensions, trace: { ...trace.toResponseJSON(120), cost: { requested: 3 } } } });
    expect(text).toBe(JSON.stringify({ ...result, extensions: { ...result.extensions, trace: { ...trace.toJSON(120), cost: { requested: 3 } } } }) + '\n');
    expect(JSON.parse(text).extensions.trace.resolvers).toEqual(trace.resolverRecords());
  });

  it('is JSON.stringify and a newline for any other response', () => {
    const value = { errors: [{ message: 'no' }], data: null, extensions: { trace: { resolvers: [] } } };
    expect(stringifyResponse(value)).toBe(JSON.stringify(value) + '\n');
  });

  it('writes the same records through any other JSON.stringify', () => {
    const trace = traced();
    expect(JSON.stringify(trace.toResponseJSON(120))).toBe(JSON.stringify(trace.toJSON(120)));
  });
});
