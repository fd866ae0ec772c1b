/**
 * The project's root directory, where schema.graphql and dist/ live. Both src/ (run from source)
 * and dist/ (the bundle `npm start` runs, scripts/build-server.ts) sit one level below it, so
 * this one URL is right from either.
 */
export const PROJECT_ROOT = new URL('../', import.meta.url);
