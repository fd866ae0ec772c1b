// A custom plan prints a statement's parameters as SQL literals (`token_hash = 'ab12…'::text`),
// so an EXPLAIN shown in a trace would hand out what the caller sent: the hash of their API
// token, a tag name, a title. The plan keeps the placeholder instead:
//
//   "Index Cond": "(token_hash = '9f86d0…'::text)"   becomes   "Index Cond": "(token_hash = $1::text)"

/** Postgres's literal for a string (standard_conforming_strings: only quotes are doubled). */
function quoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `plan` with every string parameter's literal replaced by its placeholder (`$1`, `$2`, ...). */
export function redactPlan(plan: unknown, parameters: readonly unknown[]): unknown {
  let text = JSON.stringify(plan);
  if (text === undefined) return plan;
  // Longest first, so a parameter that contains another is replaced whole.
  const strings = parameters
    .map((value, index) => ({ value, placeholder: `$${index + 1}` }))
    .filter((entry): entry is { value: string; placeholder: string } => typeof entry.value === 'string')
    .sort((a, b) => b.value.length - a.value.length);
  for (const { value, placeholder } of strings) {
    // The literal as it sits inside a JSON string of the serialized plan.
    text = text.replaceAll(JSON.stringify(quoted(value)).slice(1, -1), placeholder);
  }
  return JSON.parse(text);
}
