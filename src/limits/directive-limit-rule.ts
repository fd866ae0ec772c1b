import type { ASTVisitor, ValidationContext } from 'graphql';
import { limitError } from './limit-error.ts';

/** Rejects a document with more than `maxDirectives` directive uses (`@include` floods). */
export function createDirectiveLimitRule(maxDirectives: number) {
  return (context: ValidationContext): ASTVisitor => {
    let directives = 0;
    return {
      Directive() {
        directives++;
      },
      Document: {
        leave(document) {
          if (directives > maxDirectives) {
            context.reportError(
              limitError(
                'directives',
                `The document uses ${directives} directives, more than the maximum of ${maxDirectives}`,
                maxDirectives,
                directives,
                [document],
              ),
            );
          }
        },
      },
    };
  };
}
