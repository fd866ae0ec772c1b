import type { RawBuilder } from 'kysely';
import { type PreparedQuery, prepareQuery } from './prepared-query.ts';
import type { RequestDatabase } from './request-database.ts';
import type { Database } from './types.ts';

/** Where a shaped statement takes a value: named, so its builder may place values in any order. */
export class Slot {
  constructor(readonly name: string) {}
}

const slots = new Map<string, Slot>();

/** The placeholder for the value named `name` (interpolated into `sql` as a parameter). */
export function slot(name: string): Slot {
  let found = slots.get(name);
  if (!found) slots.set(name, (found = new Slot(name)));
  return found;
}

export interface ShapedQuery<Row> {
  /** Runs the statement with each slot bound to its value in `values`. */
  run(database: RequestDatabase, values: Readonly<Record<string, unknown>>): Promise<Row[]>;
}

/**
 * A statement whose text depends only on its shape (ordering, window bounds, columns, filter
 * kinds, joins), built and compiled once by `build`, which puts a `slot` wherever a request's
 * value goes; each run only binds the values: no query tree is built per request, and the same
 * text lets Postgres reuse its plan.
 */
export function shapedQuery<Row>(build: () => RawBuilder<Row>): ShapedQuery<Row> {
  let names: readonly string[] | undefined;
  let prepared: PreparedQuery<Database, Row> | undefined;
  return {
    run(database, values) {
      if (!prepared) {
        // Without the request's plugins: compiling is not running, and must file nothing in its trace.
        const compiled = build().compile(database.kysely.withoutPlugins());
        names = compiled.parameters.map((parameter) => {
          if (!(parameter instanceof Slot)) throw new Error(`a shaped statement takes its values through slots: ${compiled.sql}`);
          return parameter.name;
        });
        prepared = prepareQuery(() => compiled);
      }
      return database.run(prepared, names!.map((name) => values[name]));
    },
  };
}

/** Shapes kept per family: far more than the server's own queries take, far fewer than clients could ask for. */
export const MAX_SHAPES = 2000;

/**
 * One shaped statement per key, built on first use. Keys are shapes, but clients choose them
 * (page sizes, columns, relations, orderings): past `maxShapes` a new shape is built for its call
 * alone and not kept, so a client varying its queries cannot grow the process.
 */
export function shapedQueries<Row>(maxShapes = MAX_SHAPES): (key: string, build: () => RawBuilder<Row>) => ShapedQuery<Row> {
  const byKey = new Map<string, ShapedQuery<Row>>();
  return (key, build) => {
    let query = byKey.get(key);
    if (!query) {
      query = shapedQuery(build);
      if (byKey.size < maxShapes) byKey.set(key, query);
    }
    return query;
  };
}
