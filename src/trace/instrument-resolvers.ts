import { type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from 'graphql';
import type { RequestTrace } from './request-trace.ts';

type AnyResolver = GraphQLFieldResolver<any, { trace: RequestTrace }, any>;
type ResolverMap = Record<string, any>;

/**
 * Wraps the resolvers of every object type in the schema so that the field's SQL is attributed
 * to it (the resolver's synchronous part runs as the trace's current field, which a DataLoader
 * batch takes from its first `load`) and, when the trace asks, its time is recorded.
 * Only fields with a resolver can run SQL, and `defaults` says which of the others (plain
 * properties and getters, read as graphql-jit reads them) are wrapped too, for their timings:
 *
 *   'none'     none (SQL attribution only)
 *   'roots'    root fields: the everyday trace (`X-Inkql-Trace: 1`), which times the fields that
 *              do work of their own and leaves out every plain read of the parent, objects
 *              (`nodes`) as well as scalars: graphql-jit inlines a plain read, and a wrapper
 *              would make it call a function with a resolve info and a fresh path instead
 *   'all'      every field (`X-Inkql-Trace: resolvers`)
 *
 * The server runs a build only for the requests that need it (graphql/build-schemas.ts, schemaFor).
 * `schema` is the bare build, whose types name the fields.
 */
export type WatchedDefaults = 'none' | 'roots' | 'all';

export function instrumentResolvers<R extends ResolverMap>(schema: GraphQLSchema, resolvers: R, { defaults }: { defaults: WatchedDefaults }): R {
  const instrumented: ResolverMap = { ...resolvers };
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const own: ResolverMap = resolvers[type.name] ?? {};
    const wrapped: ResolverMap = { ...own };
    for (const [fieldName, config] of Object.entries(type.getFields())) {
      const given = own[fieldName];
      const field = `${type.name}.${fieldName}`;
      const root = roots.has(type);
      if (typeof given === 'function') wrapped[fieldName] = watchField(field, given);
      else if (given === undefined && (defaults === 'all' || (defaults === 'roots' && root))) {
        // A sampled request's spans follow the everyday rule whatever the trace level: no span per plain read.
        wrapped[fieldName] = watchDefaultField(field, root);
      }
    }
    instrumented[type.name] = wrapped;
  }
  return instrumented as R;
}

function watchField(field: string, resolve: AnyResolver): AnyResolver {
  return (source, args, context, info) => {
    const { trace } = context;
    return trace.spans ? runSpanned(trace, field, resolve, source, args, context, info) : runWatched(trace, field, resolve, source, args, context, info);
  };
}

function watchDefaultField(field: string, spanned: boolean): AnyResolver {
  return (source, _args, context, info) => {
    const { trace } = context;
    if (source === null || (typeof source !== 'object' && typeof source !== 'function')) return undefined;
    // The property read is timed: it may be a getter that does work (a connection's lazy cursors).
    const startedAt = performance.now();
    const span = spanned ? trace.spans?.startField(info.path, field, startedAt) : undefined;
    const property = source[info.fieldName];
    if (span) trace.endField(info.path, field, startedAt, performance.now(), span);
    else trace.addResolver(info.path, field, startedAt, performance.now());
    return property;
  };
}

/** Runs `resolve` as the field's scope, and times it when the trace asks (until its promise settles). */
function runWatched(
  trace: RequestTrace,
  field: string,
  resolve: AnyResolver,
  source: unknown,
  args: unknown,
  context: { trace: RequestTrace },
  info: GraphQLResolveInfo,
): unknown {
  // withFieldScope, inlined: it would cost a closure and a scope object per resolved field.
  const { currentField, currentPath, currentLoader } = trace;
  trace.currentField = field;
  trace.currentPath = info.path;
  trace.currentLoader = undefined;
  const startedAt = trace.shown ? performance.now() : 0;
  let result: unknown;
  try {
    result = resolve(source, args, context, info);
  } finally {
    trace.currentField = currentField;
    trace.currentPath = currentPath;
    trace.currentLoader = currentLoader;
  }
  if (!trace.shown) return result;
  if (isPromiseLike(result)) {
    const done = () => trace.addResolver(info.path, field, startedAt, performance.now());
    result.then(done, done);
  } else {
    trace.addResolver(info.path, field, startedAt, performance.now());
  }
  return result;
}

/**
 * runWatched for a request OpenTelemetry samples (kept apart, so that the others pay nothing for
 * it): the field's span opens before the resolver runs, so that the loads it makes link their
 * batch to it, and ends when its promise settles.
 */
function runSpanned(
  trace: RequestTrace,
  field: string,
  resolve: AnyResolver,
  source: unknown,
  args: unknown,
  context: { trace: RequestTrace },
  info: GraphQLResolveInfo,
): unknown {
  const { currentField, currentPath, currentLoader, currentSpan } = trace;
  const startedAt = performance.now();
  const span = trace.spans!.startField(info.path, field, startedAt);
  trace.currentField = field;
  trace.currentPath = info.path;
  trace.currentLoader = undefined;
  trace.currentSpan = span;
  let result: unknown;
  try {
    result = resolve(source, args, context, info);
  } catch (error) {
    trace.spans!.endField(span, performance.now(), error);
    throw error;
  } finally {
    trace.currentField = currentField;
    trace.currentPath = currentPath;
    trace.currentLoader = currentLoader;
    trace.currentSpan = currentSpan;
  }
  if (isPromiseLike(result)) {
    result.then(
      () => trace.endField(info.path, field, startedAt, performance.now(), span),
      (error: unknown) => trace.endField(info.path, field, startedAt, performance.now(), span, error),
    );
  } else {
    trace.endField(info.path, field, startedAt, performance.now(), span);
  }
  return result;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
