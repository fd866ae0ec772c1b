import { describe, expect, it } from 'vitest';
import { createLoader, createLoaderFamily } from '../../src/loaders/create-loader.ts';
import { RequestTrace } from '../../src/trace/request-trace.ts';
import { withFieldScope } from '../../src/trace/field-scope.ts';

// Like DataLoader's own tests: record every batch call and assert them exactly.
function recordingLoader(batching: boolean) {
  const calls: number[][] = [];
  const loader = createLoader<number, string>(
    'thingById',
    async (keys) => {
      calls.push([...keys]);
      return keys.map((key) => (key < 0 ? new Error(`no thing ${key}`) : `thing ${key}`));
    },
    { batching },
  );
  return { loader, calls };
}

describe('createLoader with batching on', () => {
  it('makes one batch call for loads in the same tick, answering in key order', async () => {
    const { loader, calls } = recordingLoader(true);
    const values = await Promise.all([loader.load(3), loader.load(1), loader.load(2)]);
    expect(values).toEqual(['thing 3', 'thing 1', 'thing 2']);
    expect(calls).toEqual([[3, 1, 2]]);
  });

  it('memoises within the loader: a repeated key is loaded once', async () => {
    const { loader, calls } = recordingLoader(true);
    await Promise.all([loader.load(1), loader.load(1), loader.load(2)]);
    await loader.load(1);
    expect(calls).toEqual([[1, 2]]);
  });

  it('makes a new batch for loads in a later tick', async () => {
    const { loader, calls } = recordingLoader(true);
    await loader.load(1);
    await Promise.all([loader.load(2), loader.load(3)]);
    expect(calls).toEqual([[1], [2, 3]]);
  });

  it('rejects only the loads whose result is an Error', async () => {
    const { loader } = recordingLoader(true);
    const results = await Promise.allSettled([loader.load(1), loader.load(-1)]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'thing 1' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: 'no thing -1' } });
  });

  it('carries its name', () => {
    expect(recordingLoader(true).loader.name).toBe('thingById');
  });
});

describe('createLoader with batching off (naive mode)', () => {
  it('makes one call per key', async () => {
    const { loader, calls } = recordingLoader(false);
    const values = await Promise.all([loader.load(3), loader.load(1), loader.load(2)]);
    expect(values).toEqual(['thing 3', 'thing 1', 'thing 2']);
    expect(calls).toEqual([[3], [1], [2]]);
  });

  it('does not memoise: a repeated key is loaded again', async () => {
    const { loader, calls } = recordingLoader(false);
    await Promise.all([loader.load(1), loader.load(1)]);
    await loader.load(1);
    expect(calls).toEqual([[1], [1], [1]]);
  });
});

describe('createLoaderFamily', () => {
  it('creates one loader per distinct argument set and reuses it', () => {
    const created: string[] = [];
    const family = createLoaderFamily(
      (params: { first: number }) => String(params.first),
      (params) => {
        created.push(String(params.first));
        return recordingLoader(true).loader;
      },
    );
    const a = family({ first: 10 });
    expect(family({ first: 10 })).toBe(a);
    expect(family({ first: 5 })).not.toBe(a);
    expect(created).toEqual(['10', '5']);
  });
});

describe('createLoader with a trace', () => {
  // The batch function records which field and loader the trace names while it runs.
  function tracedLoader(batching = true) {
    const trace = new RequestTrace(0, { fields: true, shown: true });
    const scopes: (string | undefined)[] = [];
    const loader = createLoader<number, string>(
      'thingById',
      async (keys) => {
        scopes.push(`${trace.current?.field} via ${trace.current?.loader}`);
        return keys.map((key) => `thing ${key}`);
      },
      { batching, trace },
    );
    const loadAs = (field: string, key: number) => withFieldScope(trace, { field }, () => loader.load(key));
    return { trace, scopes, loadAs };
  }

  it('counts loads, batches, the largest batch and memo hits', async () => {
    const { trace, loadAs } = tracedLoader();
    await Promise.all([loadAs('Post.author', 1), loadAs('Post.author', 2), loadAs('Post.author', 1)]);
    await loadAs('Post.author', 3);
    expect(trace.loaders.get('thingById')).toEqual({ loads: 4, batches: 2, maxBatch: 2, cacheHits: 1 });
  });

  it('counts every load as a batch of its own in naive mode', async () => {
    const { trace, loadAs } = tracedLoader(false);
    await Promise.all([loadAs('Post.author', 1), loadAs('Post.author', 1)]);
    expect(trace.loaders.get('thingById')).toEqual({ loads: 2, batches: 2, maxBatch: 1, cacheHits: 0 });
  });

  it('runs each batch as the field whose load opened it', async () => {
    const { scopes, loadAs } = tracedLoader();
    await Promise.all([loadAs('Post.author', 1), loadAs('Comment.author', 2)]);
    await loadAs('Tag.owner', 3);
    expect(scopes).toEqual(['Post.author via thingById', 'Tag.owner via thingById']);
  });

  it('gives a batch opened by a memo hit alone (which runs no batch function) no say over the next', async () => {
    const { scopes, loadAs } = tracedLoader();
    await loadAs('Post.author', 1);
    await loadAs('Comment.author', 1);
    await loadAs('Tag.owner', 2);
    expect(scopes).toEqual(['Post.author via thingById', 'Tag.owner via thingById']);
  });
});
