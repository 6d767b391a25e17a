/**
 * The part of js-yaml 3 (a dev dependency, bundled into the CLI) that `diff dbt` uses to
 * read `dbt_project.yml`; the package ships no types.
 *
 * @module
 */
declare module "js-yaml" {
  /** js-yaml's parse error: `reason` in words, `mark.line` 0-based. */
  export class YAMLException extends Error {
    readonly reason: string
    readonly mark: { readonly line: number; readonly column: number } | undefined
  }
  /** Parses one YAML document with the safe schema (no custom tags run code), as PyYAML's `safe_load`. */
  export function safeLoad(text: string, options?: { readonly filename?: string; readonly json?: boolean }): unknown
}
