import { type CompiledQuery, createQueryId, type Kysely } from 'kysely';
import type { RequestTrace } from '../trace/request-trace.ts';
import { fileQuery } from '../trace/field-scope.ts';
import { isPinnedToPrimary, markPrimary } from './request-route.ts';

export interface PreparedQuery<DB, Row> {
  /** Runs the statement with `parameters` in the order the builder placed its values. */
  execute(db: Kysely<DB>, parameters: readonly unknown[], trace: RequestTrace | undefined): Promise<Row[]>;
}

/**
 * A statement whose text never changes (lists travel as one array parameter), built and compiled
 * by Kysely once per process, then only given fresh parameters. Building and compiling a query
 * tree for every batch was a tenth of a small request's CPU (profile of bench A). The text is the
 * same on Postgres and PGlite: both compile with Kysely's Postgres compiler.
 *
 * Kysely's plugins see a compiled statement no more, so the request's trace files it here, under
 * the field and loader running now, the way the request's Kysely plugin files the queries it compiles.
 */
export function prepareQuery<DB, Row>(compile: (db: Kysely<DB>) => CompiledQuery<Row>): PreparedQuery<DB, Row> {
  let compiled: CompiledQuery<Row> | undefined;
  return {
    async execute(db, parameters, trace) {
      compiled ??= compile(db);
      if (parameters.length !== compiled.parameters.length) {
        throw new Error(`prepared statement takes ${compiled.parameters.length} parameters, got ${parameters.length}: ${compiled.sql}`);
      }
      const queryId = createQueryId();
      if (trace) fileQuery(trace, queryId);
      if (isPinnedToPrimary(db)) markPrimary(queryId);
      const { rows } = await db.executeQuery<Row>({ ...compiled, parameters, queryId });
      return rows;
    },
  };
}
