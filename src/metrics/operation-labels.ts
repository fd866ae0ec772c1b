// The `operation_name` label of request metrics. Every distinct label value is a time series that
// the process keeps (and Prometheus stores) for good, and operation names are chosen by clients:
// a client sending a fresh name per request would grow both without end. So the first
// MAX_OPERATION_NAMES names get a series each and every later one shares OTHER_OPERATION.
//
//   query FirstPosts { ... }    -> FirstPosts
//   { posts { ... } }           -> (anonymous)   also a request refused before its operation was known
//   the 101st distinct name     -> (other)
//
// Parentheses cannot occur in a GraphQL name, so the shared values never collide with a real one.

export const MAX_OPERATION_NAMES = 100;
/** GraphQL names have no length limit of their own; a label that long is not a name worth a series. */
export const MAX_OPERATION_NAME_LENGTH = 100;
export const ANONYMOUS_OPERATION = '(anonymous)';
export const OTHER_OPERATION = '(other)';

/** A label for each operation name, admitting at most `cap` distinct names for the life of the process. */
export function createOperationLabels(cap = MAX_OPERATION_NAMES): (operationName: string | undefined) => string {
  const admitted = new Set<string>();
  return (operationName) => {
    if (!operationName) return ANONYMOUS_OPERATION;
    if (admitted.has(operationName)) return operationName;
    if (admitted.size >= cap || operationName.length > MAX_OPERATION_NAME_LENGTH) return OTHER_OPERATION;
    admitted.add(operationName);
    return operationName;
  };
}
