/**
 * A value of a response whose JSON text is written by hand (a shown trace's resolver timings,
 * hundreds of numbers): graphql/stringify-response.ts splices `text()` into the response, and any
 * other JSON.stringify of it (a test's, a cached answer's) writes `toJSON()`, the same JSON.
 */
export class PrebuiltJson<T> {
  constructor(
    readonly text: () => string,
    private readonly value: () => T,
  ) {}

  toJSON(): T {
    return this.value();
  }
}
