import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from 'pino';
import { APQ_TTL_SECONDS } from '../cache/cache-keys.ts';
import { createDocumentStore } from '../cache/document-store.ts';
import type { LimitsConfig, NodeEnv } from '../config.ts';
import type { Context } from '../context.ts';
import { readTrustedManifest } from '../documents/read-trusted-manifest.ts';
import type { FaultLog } from '../db/fault-log.ts';
import type { BudgetStore } from '../limits/budget-store.ts';
import type { Tracing } from '../trace/tracing.ts';
import type { Schemas } from './build-schemas.ts';
import { createFormatError } from './format-error.ts';
import { createJitGateway } from './jit-gateway.ts';
import { createCachePolicyPlugin } from './plugins/cache-policy-plugin.ts';
import { createReplicaRoutePlugin } from './plugins/replica-route-plugin.ts';
import { createCostPlugin } from './plugins/cost-plugin.ts';
import { createSpanPlugin } from './plugins/span-plugin.ts';
import { createSubscriptionRefusalPlugin } from './plugins/subscription-refusal-plugin.ts';
import { createTracePlugin } from './plugins/trace-plugin.ts';
import { prepareTrustedDocuments, type TrustedDocuments } from './trusted-documents.ts';
import { stringifyResponse } from './stringify-response.ts';
import { createValidationRules } from './validation-rules.ts';

export interface ApolloOptions {
  readonly limits: LimitsConfig;
  readonly nodeEnv: NodeEnv;
  /** Outside production, errors may suggest field names ("Did you mean ...?"). */
  readonly development: boolean;
  readonly logger: Logger;
  readonly logFault: FaultLog;
  readonly schemas: Schemas;
  /** Whether the trace plugin is installed, and what the executor records into. */
  readonly tracing: Tracing;
  readonly budgets: BudgetStore | undefined;
  /** Where persisted queries live (bounded by INKQL_APQ_MAX_BYTES). */
  readonly apqCache: KeyValueCache<string>;
  /** Bytes of parsed documents kept (INKQL_DOCUMENT_CACHE_BYTES), trusted documents aside. */
  readonly documentCacheBytes: number;
  /** The trusted-documents manifest (INKQL_TRUSTED_DOCUMENTS) when its mode is not off: read and prepared here before Apollo starts. */
  readonly trustedFile?: string;
}

export interface StartedApollo {
  readonly apollo: ApolloServer<Context>;
  readonly trustedDocuments: TrustedDocuments | undefined;
}

/** The started Apollo server that parses, validates, prices and executes every GraphQL request. */
export async function createApollo(options: ApolloOptions): Promise<StartedApollo> {
  const { limits, nodeEnv, development, logger, logFault, schemas, tracing, budgets, apqCache, documentCacheBytes, trustedFile } = options;
  const gateway = createJitGateway({
    schema: schemas.schema,
    schemaFor: (context) => schemas.schemaFor(context as Context),
    traceOf: (context) => tracing.forRequest((context as Context).trace),
  });
  // Compiled for the build a request runs when nobody asked for its trace (the usual request).
  const usualSchema = schemas.unshownSchema;
  // A manifest that cannot be served stops start-up (ManifestError names the file and the entry).
  const trustedDocuments = trustedFile
    ? prepareTrustedDocuments({
        file: trustedFile,
        entries: readTrustedManifest(trustedFile),
        schema: schemas.schema,
        limits,
        development,
        compile: (document, operationName) => gateway.compile(usualSchema, document, operationName),
        logger,
      })
    : undefined;
  if (trustedDocuments) {
    logger.info(
      { trustedDocuments: trustedDocuments.size, prepared: trustedDocuments.documents.size, mode: limits.trustedDocumentsMode },
      `trusted documents: ${trustedDocuments.size} from ${trustedFile}, prepared ahead of their first request`,
    );
  }
  const apollo = new ApolloServer<Context>({
    gateway,
    // Production posture is set here from config, not left to Apollo's reading of NODE_ENV.
    nodeEnv,
    // Apollo's own refusal names its constructor option; validation-rules.ts refuses with inkql's setting instead.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // No "Did you mean ...?" in production: suggestions map the schema for a client without introspection.
    hideSchemaDetailsFromClientErrors: !development,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: limits.maxTokens },
    documentStore: createDocumentStore(documentCacheBytes, trustedDocuments?.documents),
    validationRules: createValidationRules(limits),
    stopOnTerminationSignals: false,
    // A shown trace's resolver timings are written by hand (trace/prebuilt-json.ts).
    stringifyResult: stringifyResponse,
    logger,
    formatError: createFormatError((error, faultCode) =>
      faultCode
        ? logFault('error', `database fault in GraphQL requests (${faultCode})`, error)
        : logger.error({ err: error }, 'unexpected error in a GraphQL request'),
    ),
    // Hints live in schema.graphql (@cacheControl). Apollo's own cache-control plugin hooks every
    // field resolver to collect them; the policy plugin reads the same hints once per parsed
    // document instead.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(tracing.showsTraces ? [createTracePlugin()] : []),
      ...(tracing.telemetry ? [createSpanPlugin()] : []),
      createCachePolicyPlugin(),
      createSubscriptionRefusalPlugin(),
      createCostPlugin({ maxCost: limits.maxCost, budgets }),
      createReplicaRoutePlugin(),
    ],
    persistedQueries: { cache: trustedDocuments ? withTrustedTexts(apqCache, trustedDocuments) : apqCache, ttl: APQ_TTL_SECONDS },
  });
  await apollo.start();
  return { apollo, trustedDocuments };
}

/**
 * The persisted-query store with the trusted documents in front: a request by `documentId` reaches
 * Apollo as a persisted-query hash (http/trusted-request.ts), found here without a cache round trip
 * and never registered again.
 */
function withTrustedTexts(cache: KeyValueCache<string>, trusted: TrustedDocuments): KeyValueCache<string> {
  // Apollo's keys are "apq:<sha256>".
  const textOf = (key: string) => trusted.textOf(key.slice(key.lastIndexOf(':') + 1));
  return {
    get: async (key) => textOf(key) ?? cache.get(key),
    set: async (key, value, options) => (textOf(key) === undefined ? cache.set(key, value, options) : undefined),
    delete: async (key) => cache.delete(key),
  };
}
