import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { APQ_TTL_SECONDS } from '../cache/cache-keys.ts';
import type { LimitsConfig, NodeEnv } from '../config.ts';
import type { Context } from '../context.ts';
import type { FaultLog } from '../db/fault-log.ts';
import type { BudgetStore } from '../limits/budget-store.ts';
import type { Tracing } from '../trace/tracing.ts';
import type { Schemas } from './build-schemas.ts';
import { createFormatError } from './format-error.ts';
import { createJitGateway } from './jit-gateway.ts';
import { createCachePolicyPlugin } from './plugins/cache-policy-plugin.ts';
import { createCostPlugin } from './plugins/cost-plugin.ts';
import { createSpanPlugin } from './plugins/span-plugin.ts';
import { createSubscriptionRefusalPlugin } from './plugins/subscription-refusal-plugin.ts';
import { createTracePlugin } from './plugins/trace-plugin.ts';
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
  /** Parsed documents, bounded by INKQL_DOCUMENT_CACHE_BYTES. */
  readonly documentStore: KeyValueCache<DocumentNode>;
}

/** The started Apollo server that parses, validates, prices and executes every GraphQL request. */
export async function createApollo({ limits, nodeEnv, development, logger, logFault, schemas, tracing, budgets, apqCache, documentStore }: ApolloOptions): Promise<ApolloServer<Context>> {
  const apollo = new ApolloServer<Context>({
    gateway: createJitGateway({
      schema: schemas.schema,
      schemaFor: (context) => schemas.schemaFor(context as Context),
      traceOf: (context) => tracing.forRequest((context as Context).trace),
    }),
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
    documentStore,
    validationRules: createValidationRules(limits),
    stopOnTerminationSignals: false,
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
    ],
    persistedQueries: { cache: apqCache, ttl: APQ_TTL_SECONDS },
  });
  await apollo.start();
  return apollo;
}
