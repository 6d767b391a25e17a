/**
 * GitHub Actions' workflow commands, as far as `datafold-ci` writes them: whether this is
 * a step at all, the escaping rules, and the `::error::` annotation.
 *
 * @module
 */
import type { Env } from "../facts/CiEnvironment.ts"

/** Whether this process runs as a GitHub Actions step. */
export const isGithubActions = (env: Env): boolean => env["GITHUB_ACTIONS"] === "true"

/** Escapes a workflow command's message, as GitHub's toolkit does: `%`, CR and LF. */
export const escapeCommandData = (text: string): string =>
  text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A")

/** Escapes a workflow command's property value: the message rules plus `:` and `,`. */
export const escapeCommandProperty = (text: string): string =>
  escapeCommandData(text).replaceAll(":", "%3A").replaceAll(",", "%2C")

/**
 * The `::error::` line for a failure. It goes to stderr: the runner reads workflow
 * commands on stderr as well as stdout, and stdout stays one JSON object under `--json`.
 */
export const errorAnnotation = (message: string, title = "Datafold trigger failed"): string =>
  `::error title=${escapeCommandProperty(title)}::${escapeCommandData(message)}\n`
