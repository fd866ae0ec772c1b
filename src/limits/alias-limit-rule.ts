import type { ASTVisitor, ValidationContext } from 'graphql';
import { limitError } from './limit-error.ts';

/**
 * Rejects a document with more than `maxAliases` aliased fields. Aliases are how one request
 * asks for the same expensive field many times (`a1: stats a2: stats ...`), which a per-field
 * price alone does not stop when the field is cheap to price but costly to run.
 */
export function createAliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave(document) {
          if (aliases > maxAliases) {
            context.reportError(
              limitError('aliases', `The document has ${aliases} aliases, more than the maximum of ${maxAliases}`, maxAliases, aliases, [document]),
            );
          }
        },
      },
    };
  };
}
