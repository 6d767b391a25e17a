/**
 * Stands in for `@effect/platform/FetchHttpClient` when the cold-start figure builds the
 * CLI a second time with the prototype `node:http` transport: `layer` is the only name
 * the CLI's trigger module takes from it.
 */
export { layer } from "../nodeHttpClient.ts"
