/**
 * The one piece of `bun:test` the Bun tests use, declared so the project's `tsc` checks
 * them without loading Bun's global types next to Node's. Assertions come from
 * `node:assert`, which Bun implements.
 */
declare module "bun:test" {
  export function test(name: string, fn: () => void | Promise<void>, timeoutMillis?: number): void
}
