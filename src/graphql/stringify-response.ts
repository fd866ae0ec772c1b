import type { FormattedExecutionResult } from 'graphql';
import { PrebuiltJson } from '../trace/prebuilt-json.ts';

// No GraphQL name holds a NUL, so this text cannot be an operation name or anything else the trace
// writes after its `resolvers`; user data comes before the extensions.
const PLACEHOLDER = '\u0000inkql prebuilt json\u0000';
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/**
 * Apollo's stringifyResult: its default (JSON.stringify and a newline), except that a shown
 * trace's `resolvers`, when prebuilt (trace/prebuilt-json.ts), is written by its own `text()`.
 */
export function stringifyResponse(value: FormattedExecutionResult): string {
  const trace = value.extensions?.trace as { resolvers?: unknown } | undefined;
  const prebuilt = trace?.resolvers;
  if (!(prebuilt instanceof PrebuiltJson)) return JSON.stringify(value) + '\n';
  const text = JSON.stringify({ ...value, extensions: { ...value.extensions, trace: { ...trace, resolvers: PLACEHOLDER } } }) + '\n';
  const at = text.lastIndexOf(PLACEHOLDER_JSON);
  return text.slice(0, at) + prebuilt.text() + text.slice(at + PLACEHOLDER_JSON.length);
}
