/**
 * The checks of the dbt calls' input, before anything is read or sent: the CI config id,
 * the run type, the commit, the low-drift run id, the branch and the paths. Plain
 * TypeScript, so both Effect majors refuse the same input with the same words.
 *
 * @since 0.2.0
 */
import { branchNameProblem } from "../branchName.ts"
import { COMMIT_SHA, INPUT_WORDS } from "../inputRules.ts"

/**
 * The two kinds of dbt upload: the main branch's build, or a pull request's.
 *
 * @since 0.2.0
 * @category models
 */
export type RunType = "production" | "pull_request"

/**
 * Every run type, in the order the SDK lists them.
 *
 * @since 0.2.0
 * @category constants
 */
export const RUN_TYPES: ReadonlyArray<RunType> = ["production", "pull_request"]

/**
 * One refused field.
 *
 * @since 0.2.0
 * @category models
 */
export interface FieldIssue {
  readonly field: string
  readonly problem: string
}

/**
 * The checked fields of an upload, as sent.
 *
 * @since 0.2.0
 * @category models
 */
export interface CheckedDbtUpload {
  readonly ciConfigId: number
  readonly runType: RunType
  readonly targetFolder: string
  /** In lower case. */
  readonly commitSha: string
  readonly runId: string | undefined
  /** The most bytes (before compression) the folder may hold; the default limit when not given. */
  readonly maxUploadBytes: number | undefined
  /** How many segments of a large file (or files from 64 KiB) are deflated at once; the cores (two to four) when not given. */
  readonly concurrency: number | undefined
}

/**
 * The result of a check: the value, or every refused field.
 *
 * @since 0.2.0
 * @category models
 */
export type Checked<A> = { readonly ok: true; readonly value: A } | {
  readonly ok: false
  readonly issues: ReadonlyArray<FieldIssue>
}

/**
 * The most segments an upload deflates at once: past the thread pool's threads more wait in
 * its queue, holding a MiB each.
 *
 * @since 0.2.0
 * @category constants
 */
export const MAX_CONCURRENCY = 16

const problems = {
  runType: `must be "production" or "pull_request"`,
  path: "must be a path (a string that is not blank)",
  runId: "must be a run id: a positive whole number, or a string without spaces (at most 200 characters)",
  maxUploadBytes: "must be a positive whole number of bytes",
  concurrency: `must be a whole number from 1 to ${MAX_CONCURRENCY}`,
  branch: INPUT_WORDS.branchType
} as const

const configIdProblem = (id: unknown): string | undefined =>
  id === undefined
    ? INPUT_WORDS.missing
    : typeof id === "number" && Number.isSafeInteger(id) && id > 0
    ? undefined
    : INPUT_WORDS.positiveConfigId

const shaProblem = (sha: unknown): string | undefined =>
  sha === undefined
    ? INPUT_WORDS.missing
    : typeof sha !== "string"
    ? INPUT_WORDS.shaType
    : COMMIT_SHA.test(sha)
    ? undefined
    : INPUT_WORDS.shaFormat

const pathProblem = (path: unknown): string | undefined =>
  path === undefined ? INPUT_WORDS.missing : typeof path === "string" && path.trim() !== "" ? undefined : problems.path

const runTypeProblem = (runType: unknown): string | undefined =>
  runType === undefined
    ? INPUT_WORDS.missing
    : (RUN_TYPES as ReadonlyArray<unknown>).includes(runType)
    ? undefined
    : problems.runType

const runIdOf = (runId: unknown): { readonly value: string | undefined } | undefined => {
  if (runId === undefined) return { value: undefined }
  if (typeof runId === "number") return Number.isSafeInteger(runId) && runId > 0 ? { value: String(runId) } : undefined
  return typeof runId === "string" && /^[\x21-\x7e]{1,200}$/.test(runId) ? { value: runId } : undefined
}

const maxUploadBytesProblem = (bytes: unknown): string | undefined =>
  bytes === undefined || (typeof bytes === "number" && Number.isSafeInteger(bytes) && bytes > 0)
    ? undefined
    : problems.maxUploadBytes

const concurrencyProblem = (concurrency: unknown): string | undefined =>
  concurrency === undefined ||
    (typeof concurrency === "number" && Number.isInteger(concurrency) && concurrency >= 1 &&
      concurrency <= MAX_CONCURRENCY)
    ? undefined
    : problems.concurrency

const collect = (entries: ReadonlyArray<readonly [string, string | undefined]>): ReadonlyArray<FieldIssue> =>
  entries.flatMap(([field, problem]) => (problem === undefined ? [] : [{ field, problem }]))

const recordOf = (input: unknown): Record<string, unknown> =>
  typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {}

/**
 * Checks an upload's id and options; every bad field is named at once.
 *
 * @since 0.2.0
 * @category rules
 */
export const checkDbtUpload = (ciConfigId: unknown, options: unknown): Checked<CheckedDbtUpload> => {
  const input = recordOf(options)
  const runId = runIdOf(input["runId"])
  const issues = collect([
    ["ciConfigId", configIdProblem(ciConfigId)],
    ["runType", runTypeProblem(input["runType"])],
    ["targetFolder", pathProblem(input["targetFolder"])],
    ["commitSha", shaProblem(input["commitSha"])],
    ["runId", runId === undefined ? problems.runId : undefined],
    ["maxUploadBytes", maxUploadBytesProblem(input["maxUploadBytes"])],
    ["concurrency", concurrencyProblem(input["concurrency"])]
  ])
  if (issues.length > 0) return { ok: false, issues }
  return {
    ok: true,
    value: {
      ciConfigId: ciConfigId as number,
      runType: input["runType"] as RunType,
      targetFolder: input["targetFolder"] as string,
      commitSha: (input["commitSha"] as string).toLowerCase(),
      runId: runId?.value,
      maxUploadBytes: input["maxUploadBytes"] as number | undefined,
      concurrency: input["concurrency"] as number | undefined
    }
  }
}

/**
 * The checked fields of a post-upload check, as sent.
 *
 * @since 0.2.0
 * @category models
 */
export interface CheckedArtifactsCheck {
  readonly ciConfigId: number
  readonly runType: RunType
  readonly branch: string
  readonly commitSha: string
}

/**
 * Checks a post-upload check's id and options.
 *
 * @since 0.2.0
 * @category rules
 */
export const checkArtifactsCheck = (ciConfigId: unknown, options: unknown): Checked<CheckedArtifactsCheck> => {
  const input = recordOf(options)
  const branch = input["branch"]
  const issues = collect([
    ["ciConfigId", configIdProblem(ciConfigId)],
    ["runType", runTypeProblem(input["runType"])],
    [
      "branch",
      branch === undefined
        ? INPUT_WORDS.missing
        : typeof branch !== "string"
        ? problems.branch
        : branchNameProblem(branch)
    ],
    ["commitSha", shaProblem(input["commitSha"])]
  ])
  if (issues.length > 0) return { ok: false, issues }
  return {
    ok: true,
    value: {
      ciConfigId: ciConfigId as number,
      runType: input["runType"] as RunType,
      branch: branch as string,
      commitSha: (input["commitSha"] as string).toLowerCase()
    }
  }
}

/**
 * Checks a primary-key check's id and manifest path.
 *
 * @since 0.2.0
 * @category rules
 */
export const checkPrimaryKeysInput = (
  ciConfigId: unknown,
  manifest: unknown
): Checked<{ readonly ciConfigId: number; readonly manifest: string }> => {
  const issues = collect([["ciConfigId", configIdProblem(ciConfigId)], ["manifest", pathProblem(manifest)]])
  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, value: { ciConfigId: ciConfigId as number, manifest: manifest as string } }
}

/**
 * Checks a wait's id and target: a commit (`prSha`), or a run (`ciRunId`, optionally
 * narrowed by `prSha` and `prNumber`).
 *
 * @since 0.2.0
 * @category rules
 */
export const checkRunTarget = (
  ciConfigId: unknown,
  target: unknown
): Checked<{
  readonly ciConfigId: number
  readonly prSha: string | undefined
  readonly ciRunId: number | undefined
  readonly prNumber: number | undefined
}> => {
  const input = recordOf(target)
  const { ciRunId, prNumber, prSha } = input
  const positive = (value: unknown) =>
    value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value > 0)
      ? undefined
      : INPUT_WORDS.positive
  const issues = collect([
    ["ciConfigId", configIdProblem(ciConfigId)],
    [
      "prSha",
      prSha === undefined && ciRunId === undefined
        ? "is missing: give the commit (prSha) or the run (ciRunId) to wait for"
        : prSha === undefined
        ? undefined
        : shaProblem(prSha)
    ],
    ["ciRunId", positive(ciRunId)],
    ["prNumber", positive(prNumber)]
  ])
  if (issues.length > 0) return { ok: false, issues }
  return {
    ok: true,
    value: {
      ciConfigId: ciConfigId as number,
      prSha: typeof prSha === "string" ? prSha.toLowerCase() : undefined,
      ciRunId: ciRunId as number | undefined,
      prNumber: prNumber as number | undefined
    }
  }
}
