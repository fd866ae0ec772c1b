import { GraphQLError, type ValidationRule } from 'graphql';

/** The refusal names inkql's own switch: Apollo's built-in rule points at its constructor option, which no inkql user sets. */
export const INTROSPECTION_OFF_MESSAGE =
  'Introspection is off on this server (the production default): __schema and __type are refused. Set INKQL_INTROSPECTION=on to allow them.';

/** Refuses `__schema` and `__type` (`__typename` stays: clients need it to read unions and interfaces). */
export const NoIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError(INTROSPECTION_OFF_MESSAGE, { nodes: [node] }));
    }
  },
});
