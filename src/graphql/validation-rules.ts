import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config.ts';
import { createAliasLimitRule } from '../limits/alias-limit-rule.ts';
import { createDepthLimitRule } from '../limits/depth-limit-rule.ts';
import { createDirectiveLimitRule } from '../limits/directive-limit-rule.ts';
import { NoIntrospectionRule } from './no-introspection-rule.ts';

/** The rules Apollo runs beside graphql-js's own when it validates a document (cost is priced later, by the cost plugin). */
export function createValidationRules(
  config: Pick<LimitsConfig, 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'introspection'>,
): ValidationRule[] {
  const limits = [createDepthLimitRule(config.maxDepth), createAliasLimitRule(config.maxAliases), createDirectiveLimitRule(config.maxDirectives)];
  return config.introspection ? limits : [...limits, NoIntrospectionRule];
}
