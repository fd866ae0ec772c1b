import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
  visit,
} from 'graphql';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config.ts';
import { claimedHash, ManifestError, type TrustedEntry } from '../documents/read-trusted-manifest.ts';
import { priceOperation } from '../limits/price-operation.ts';
import { createValidationRules } from './validation-rules.ts';

export interface TrustedDocument extends TrustedEntry {
  /**
   * Parsed, validated with every rule a request meets, priced, compiled: what Apollo's document
   * store hands out for `hash`. Undefined when a limit refuses the document; Apollo then parses
   * and refuses each request of it as it would any document.
   */
  readonly document: DocumentNode | undefined;
}

export interface TrustedDocuments {
  /** The document a client's `documentId` (or APQ hash) names: the manifest's spelling, or for a hash either spelling. */
  find(id: string): TrustedDocument | undefined;
  /** Text by SHA-256, for the persisted-query store. */
  textOf(hash: string): string | undefined;
  /** Prepared documents by SHA-256, for the document store (never evicted). */
  readonly documents: ReadonlyMap<string, DocumentNode>;
  readonly size: number;
}

export interface PrepareOptions {
  readonly file: string;
  readonly entries: readonly TrustedEntry[];
  readonly schema: GraphQLSchema;
  readonly limits: Pick<
    LimitsConfig,
    'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'maxCost' | 'maxDocumentBytes' | 'introspection' | 'trustedDocumentsMode'
  >;
  /** Outside production a document over the limits is only logged (it is refused per request like its text). */
  readonly development: boolean;
  /** Compiles one operation of a prepared document for the executor (graphql-jit). */
  readonly compile: (document: DocumentNode, operationName: string | null) => void;
  readonly logger: Pick<Logger, 'warn'>;
}

/**
 * Does at start-up what the first request of each trusted document would do: parse, validate
 * (graphql-js's rules and the limits), price, compile. A document that is not valid GraphQL for
 * this schema is a broken manifest and stops start-up; one over a limit stops start-up in
 * production under `enforce` (where nothing else could ever run) and is only logged otherwise.
 */
export function prepareTrustedDocuments({ file, entries, schema, limits: config, development, compile, logger }: PrepareOptions): TrustedDocuments {
  // With introspection off, these include the refusal of introspection.
  const limitRules = createValidationRules(config);
  const strict = !development && config.trustedDocumentsMode === 'enforce';
  const byId = new Map<string, TrustedDocument>();
  const byHash = new Map<string, TrustedDocument>();
  const documents = new Map<string, DocumentNode>();
  for (const entry of entries) {
    let document: DocumentNode;
    try {
      document = parse(entry.body);
    } catch (error) {
      throw new ManifestError(file, `does not parse: ${(error as Error).message}`, entry.id);
    }
    const errors = validate(schema, document, specifiedRules);
    if (errors.length > 0) throw new ManifestError(file, `is not valid against the schema: ${errors[0]!.message}`, entry.id);
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length === 0) throw new ManifestError(file, 'holds no operation', entry.id);

    const overLimit = limitProblem(entry, document, operations, schema, config, limitRules);
    if (overLimit) {
      const names = operations.map((operation) => operation.name?.value ?? '(anonymous)').join(', ');
      if (strict) throw new ManifestError(file, `${names} is over the limits, so it could never run: ${overLimit}`, entry.id);
      logger.warn({ documentId: entry.id }, `trusted document ${names} is over the limits (${overLimit}); its requests will be refused`);
    } else {
      for (const operation of operations) compile(document, operation.name?.value ?? null);
      documents.set(entry.hash, document);
    }
    const prepared: TrustedDocument = { ...entry, document: overLimit ? undefined : document };
    const hash = claimedHash(entry.id);
    for (const id of hash ? [entry.id, hash, `sha256:${hash}`] : [entry.id]) byId.set(id, prepared);
    byHash.set(entry.hash, prepared);
  }
  return {
    find: (id) => byId.get(id),
    textOf: (hash) => byHash.get(hash)?.body,
    documents,
    size: entries.length,
  };
}

/** Why a request of this document would be refused by a limit (size, tokens, depth, aliases, directives, introspection, cost), or undefined. */
function limitProblem(
  entry: TrustedEntry,
  document: DocumentNode,
  operations: readonly OperationDefinitionNode[],
  schema: GraphQLSchema,
  config: PrepareOptions['limits'],
  limitRules: readonly ValidationRule[],
): string | undefined {
  const bytes = Buffer.byteLength(entry.body, 'utf8');
  if (bytes > config.maxDocumentBytes) return `${bytes} bytes, over the maximum of ${config.maxDocumentBytes}`;
  try {
    parse(entry.body, { maxTokens: config.maxTokens });
  } catch (error) {
    return (error as Error).message;
  }
  const errors = validate(schema, document, limitRules);
  if (errors.length > 0) return errors[0]!.message;
  const { priced, complete } = withOptionalVariables(document);
  for (const operation of operations) {
    const operationName = operation.name?.value;
    let cost: number;
    try {
      // With the hash, the price of a request that sends no variables is remembered now (the cost
      // plugin asks with the same key); a document with required variables is priced without
      // them, and that price is not remembered: such a request is refused by execution.
      cost = priceOperation({ schema, document: priced, operationName, queryHash: complete ? entry.hash : undefined });
    } catch (error) {
      if (error instanceof GraphQLError) return `cannot be priced: ${error.message}`;
      throw error;
    }
    if (cost > config.maxCost) return `${operationName ?? 'the operation'} costs ${cost}, over the maximum of ${config.maxCost} (priced with its variables' defaults)`;
  }
  return undefined;
}

/**
 * The document with every required variable that has no default made optional, so it can be
 * priced without values: an absent page size prices as the default page size. `complete` tells
 * whether nothing had to change.
 */
function withOptionalVariables(document: DocumentNode): { priced: DocumentNode; complete: boolean } {
  let complete = true;
  const priced = visit(document, {
    VariableDefinition(node) {
      if (node.type.kind !== Kind.NON_NULL_TYPE || node.defaultValue) return undefined;
      complete = false;
      return { ...node, type: node.type.type };
    },
  });
  return { priced, complete };
}
