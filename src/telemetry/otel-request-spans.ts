import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import type { CacheCallSpans, GraphQLPhase, RequestSpans, SpannedStatement, SpanRef } from '../trace/request-spans.ts';
import { type Path, pathToString } from '../trace/response-path.ts';
import type { OtelModules } from './otel-modules.ts';

// Span names and attributes. The standard ones come from the semantic conventions (HTTP, db.*,
// graphql.*); what they do not name yet (the field behind a statement, a loader batch, a cache
// family) is under `inkql.`.
//
//   graphql.parse | graphql.validate | graphql.execute   graphql.operation.name, .type, graphql.document
//   resolve Post.author                                  inkql.graphql.field, inkql.graphql.path
//   dataloader.batch authorById                          inkql.dataloader.name, .keys; links: the fields' spans
//   SELECT author                                        db.system.name=postgresql, db.query.text,
//                                                        db.operation.name, db.response.returned_rows,
//                                                        inkql.graphql.field, inkql.graphql.path, inkql.dataloader.name
//   cache get postCount | cache set postCount           inkql.cache.family, .keys, .hits, .misses, .hit

const OPERATION = /^\s*(\w+)/;
const TARGET = /\b(?:from|into|update)\s+"?([A-Za-z_][\w]*)"?/i;

/** `SELECT post`: the statement's operation and first table, a low-cardinality span name. */
function statementSummary(sql: string): { operation: string | undefined; name: string } {
  const operation = OPERATION.exec(sql)?.[1]?.toUpperCase();
  const target = TARGET.exec(sql)?.[1];
  return { operation, name: operation ? (target ? `${operation} ${target}` : operation) : 'SQL' };
}

/**
 * One sampled request's spans, children of its server span. Field spans nest by response path
 * (a field's parent is the nearest timed field above it, else graphql.execute); a batch is a child
 * of graphql.execute with a link to each field that put a key in it; a statement or cache call is a
 * child of the field or batch it ran in. Statements and cache calls are reported once over, so their
 * spans are made with the times the trace measured.
 */
export class OtelRequestSpans implements RequestSpans {
  readonly #modules: OtelModules;
  readonly #tracer: Tracer;
  readonly #root: Context;
  #execute: Context | undefined;
  /** Field spans by response path, to find a field's parent (graphql-jit makes fresh path objects). */
  readonly #fields = new Map<string, Span>();
  #operation: Attributes = {};

  constructor(modules: OtelModules, tracer: Tracer, server: Span) {
    this.#modules = modules;
    this.#tracer = tracer;
    this.#root = modules.api.trace.setSpan(modules.api.ROOT_CONTEXT, server);
  }

  #start(name: string, parent: Context, startTime: number, attributes: Attributes, links?: Span[]): Span {
    return this.#tracer.startSpan(
      name,
      { kind: this.#modules.api.SpanKind.INTERNAL, startTime, attributes, links: links?.map((span) => ({ context: span.spanContext() })) },
      parent,
    );
  }

  #end(span: Span, endedAt: number, error?: unknown): void {
    if (error !== undefined) {
      span.setStatus({ code: this.#modules.api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.setAttribute(this.#modules.conventions.ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'error');
    }
    span.end(endedAt);
  }

  /** The context of `span`, else graphql.execute's while it runs, else the server span's. */
  #parent(span: SpanRef | undefined): Context {
    if (span) return this.#modules.api.trace.setSpan(this.#root, span as Span);
    return this.#execute ?? this.#root;
  }

  startPhase(phase: GraphQLPhase): (error?: unknown) => void {
    const span = this.#start(`graphql.${phase}`, this.#root, performance.now(), phase === 'execute' ? this.#operation : {});
    if (phase === 'execute') this.#execute = this.#modules.api.trace.setSpan(this.#root, span);
    return (error) => {
      if (phase === 'execute') this.#execute = undefined;
      this.#end(span, performance.now(), error);
    };
  }

  operation(name: string | undefined, type: string, document: string | undefined): void {
    const { incubating } = this.#modules;
    this.#operation = {
      [incubating.ATTR_GRAPHQL_OPERATION_TYPE]: type,
      ...(name ? { [incubating.ATTR_GRAPHQL_OPERATION_NAME]: name } : {}),
      ...(document ? { [incubating.ATTR_GRAPHQL_DOCUMENT]: document } : {}),
    };
  }

  startField(path: Path, field: string, startedAt: number): SpanRef {
    const text = pathToString(path)!;
    let parent: Span | undefined;
    for (let above = path.prev; above && !parent; above = above.prev) parent = this.#fields.get(pathToString(above)!);
    const span = this.#start(`resolve ${field}`, this.#parent(parent), startedAt, { 'inkql.graphql.field': field, 'inkql.graphql.path': text });
    this.#fields.set(text, span);
    return span;
  }

  endField(span: SpanRef, endedAt: number, error?: unknown): void {
    this.#end(span as Span, endedAt, error);
  }

  startBatch(loader: string, keys: number, fields: readonly SpanRef[], startedAt: number): SpanRef {
    return this.#start(`dataloader.batch ${loader}`, this.#parent(undefined), startedAt, { 'inkql.dataloader.name': loader, 'inkql.dataloader.keys': keys }, fields as Span[]);
  }

  endBatch(span: SpanRef, endedAt: number, error?: unknown): void {
    this.#end(span as Span, endedAt, error);
  }

  statement(statement: SpannedStatement, startedAt: number, parent: SpanRef | undefined): void {
    const { conventions, api } = this.#modules;
    const { operation, name } = statementSummary(statement.sql);
    const attributes: Attributes = {
      [conventions.ATTR_DB_SYSTEM_NAME]: conventions.DB_SYSTEM_NAME_VALUE_POSTGRESQL,
      [conventions.ATTR_DB_QUERY_TEXT]: statement.sql,
      'db.response.returned_rows': statement.rows,
    };
    if (operation) attributes[conventions.ATTR_DB_OPERATION_NAME] = operation;
    if (statement.field) attributes['inkql.graphql.field'] = statement.field;
    if (statement.path) attributes['inkql.graphql.path'] = statement.path;
    if (statement.loader) attributes['inkql.dataloader.name'] = statement.loader;
    const span = this.#tracer.startSpan(name, { kind: api.SpanKind.CLIENT, startTime: startedAt, attributes }, this.#parent(parent));
    this.#end(span, startedAt + statement.durationMs, statement.error);
  }

  cacheCall(family: string, parent: SpanRef | undefined): CacheCallSpans {
    const context = this.#parent(parent);
    return {
      read: (keys, hits, startedAt, endedAt) => {
        const attributes: Attributes = { 'inkql.cache.family': family, 'inkql.cache.keys': keys, 'inkql.cache.hits': hits, 'inkql.cache.misses': keys - hits };
        if (keys === 1) attributes['inkql.cache.hit'] = hits === 1;
        this.#start(`cache get ${family}`, context, startedAt, attributes).end(endedAt);
      },
      write: (keys, startedAt, endedAt) => {
        this.#start(`cache set ${family}`, context, startedAt, { 'inkql.cache.family': family, 'inkql.cache.keys': keys }).end(endedAt);
      },
    };
  }

  traceparent(span: SpanRef | undefined): string {
    const context = span ? (span as Span).spanContext() : this.#modules.api.trace.getSpanContext(this.#parent(undefined))!;
    return `00-${context.traceId}-${context.spanId}-01`;
  }
}
