import { describe, expect, it } from 'vitest';
import { planWorkers } from '../../src/cluster/plan-workers.ts';
import { loadConfig } from '../../src/config.ts';

const shared = { DATABASE_URL: 'postgres://db/blog', REDIS_URL: 'redis://cache' };

describe('planWorkers', () => {
  it('gives each worker INKQL_POOL_SIZE when the budget allows it', () => {
    expect(planWorkers(loadConfig({ ...shared, INKQL_WORKERS: '4', INKQL_POOL_SIZE: '10' }))).toEqual({ workers: 4, poolSize: 10 });
  });

  it('shrinks each pool to its share of the connection budget', () => {
    expect(planWorkers(loadConfig({ ...shared, INKQL_WORKERS: '3', INKQL_POOL_SIZE: '10', INKQL_DB_CONNECTION_BUDGET: '20' }))).toEqual({ workers: 3, poolSize: 6 });
  });

  it('keeps one connection of each share for the replica checks', () => {
    const withReplicas = { ...shared, DATABASE_REPLICA_URLS: 'postgres://replica/blog' };
    expect(planWorkers(loadConfig({ ...withReplicas, INKQL_WORKERS: '2', INKQL_POOL_SIZE: '10', INKQL_DB_CONNECTION_BUDGET: '8' }))).toEqual({ workers: 2, poolSize: 3 });
  });

  it('refuses replicas without a primary', () => {
    expect(() => planWorkers(loadConfig({ DATABASE_REPLICA_URLS: 'postgres://replica/blog' }))).toThrow('DATABASE_REPLICA_URLS needs DATABASE_URL');
  });

  it('refuses a budget below one connection per worker', () => {
    expect(() => planWorkers(loadConfig({ ...shared, INKQL_WORKERS: '3', INKQL_DB_CONNECTION_BUDGET: '2' }))).toThrow(
      'INKQL_DB_CONNECTION_BUDGET=2 is less than one connection for each of INKQL_WORKERS=3 processes',
    );
  });

  it('reads auto as one worker per core', async () => {
    const { availableParallelism } = await import('node:os');
    expect(loadConfig({ INKQL_WORKERS: 'auto' }).http.workers).toBe(Math.min(availableParallelism(), 64));
  });

  it('refuses a worker count that is not a number or auto', () => {
    expect(() => loadConfig({ INKQL_WORKERS: 'many' })).toThrow('INKQL_WORKERS="many" is invalid: expected an integer from 1 to 64');
  });
});
