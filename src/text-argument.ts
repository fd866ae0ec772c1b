import { badUserInput } from './errors.ts';

/** Postgres `text` cannot hold U+0000: such a parameter fails the statement (a 500) instead of matching nothing. */
export function isPostgresText(value: string): boolean {
  return !value.includes('\u0000');
}

/** A string argument bound for SQL as it is; BAD_USER_INPUT naming the argument when Postgres would refuse it. */
export function textArgument(value: string, argumentName: string): string {
  if (!isPostgresText(value)) throw badUserInput(`Argument "${argumentName}" must not contain a NUL character, got ${JSON.stringify(value)}`, argumentName);
  return value;
}
