import { getIntrospectionQuery, type IntrospectionInputValue, type IntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useAuthorServer } from '../support/author-server.ts';

// A frontend developer reads the schema in GraphiQL's docs, in codegen'd types and in IDE hovers:
// every element a client can see must say what it is, from a started server's own introspection.
const context = useAuthorServer();

async function introspect(): Promise<IntrospectionQuery> {
  const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, schemaDescription: true, directiveIsRepeatable: true, inputValueDeprecation: true });
  const result = await context.server.execute<IntrospectionQuery>(query, undefined, { trace: false });
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const blank = (description: string | null | undefined) => !description?.trim();

/** Every type, field, argument, input field, enum value and directive (with its arguments) left without a description. */
function undescribed({ __schema: schema }: IntrospectionQuery): string[] {
  const missing: string[] = [];
  const args = (owner: string, values: readonly IntrospectionInputValue[]) => {
    for (const value of values) if (blank(value.description)) missing.push(`${owner}(${value.name}:)`);
  };
  if (blank(schema.description)) missing.push('schema');
  for (const type of schema.types) {
    if (type.name.startsWith('__')) continue;
    if (blank(type.description)) missing.push(type.name);
    if (type.kind === 'OBJECT' || type.kind === 'INTERFACE') {
      for (const field of type.fields) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        args(`${type.name}.${field.name}`, field.args);
      }
    }
    if (type.kind === 'INPUT_OBJECT') {
      for (const field of type.inputFields) if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
    }
    if (type.kind === 'ENUM') {
      for (const value of type.enumValues) if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  for (const directive of schema.directives) {
    if (blank(directive.description)) missing.push(`@${directive.name}`);
    args(`@${directive.name}`, directive.args);
  }
  return missing;
}

describe('a schema that describes itself', () => {
  it('describes every type, field, argument, input field, enum value and directive', async () => {
    expect(undescribed(await introspect())).toEqual([]);
  });

  it('keeps the description of DateTime and points at its specification', async () => {
    const dateTime = (await introspect()).__schema.types.find((type) => type.name === 'DateTime');
    expect(dateTime).toMatchObject({
      kind: 'SCALAR',
      description: expect.stringContaining('ISO-8601 timestamp in UTC with millisecond precision'),
      specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time',
    });
  });
});
