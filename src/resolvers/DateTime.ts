import { type GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badUserInput } from '../errors.ts';

function parse(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badUserInput(`Expected an ISO-8601 timestamp, got ${JSON.stringify(value)}`);
  return date;
}

/**
 * DateTime's behaviour only: its description and `@specifiedBy` URL live in schema.graphql.
 * graphql-tools copies every property of a scalar's resolver onto the SDL's type, so a whole
 * GraphQLScalarType (ours or graphql-scalars') would replace them with its own. graphql-scalars'
 * DateTime is not used: its coercion errors lack this API's `BAD_USER_INPUT` code, and this
 * serializer's `toISOString()` (UTC, milliseconds) is the output clients already parse. The URL is
 * the specification graphql-scalars points at, which that output meets.
 */
const behaviour = {
  serialize: (value: unknown): string => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parse,
  parseLiteral: (ast: ValueNode): Date => parse(ast.kind === Kind.STRING ? ast.value : undefined),
};

// The generated resolver types ask for a whole scalar; graphql-tools reads only these three functions.
export const DateTime = behaviour as unknown as GraphQLScalarType<Date, string>;
