/**
 * The flags of the `diff` commands, read and checked before anything is sent:
 * `diff create`'s flags over its `--body` into one `POST /api/v1/datadiffs` body, the
 * ids of `diff wait`, `diff show` and `diff cancel`, and `diff list`'s filters. Every
 * message names the flag the user wrote, not the field it fills.
 *
 * @module
 */
import * as Either from "effect/Either"
import type { FieldIssue } from "../../core/dbt/dbtInput.ts"
import { type DataDiffInput, dataDiffInputIssues, MAX_PAGE_SIZE } from "../../core/diffs/input.ts"
import type { JobStatus } from "../../core/diffs/shapes.ts"
import { type CommandArgs, describeArgument, type DiffFlags } from "./CliArgs.ts"
import { UsageError } from "./CliError.ts"
import { parsePositiveWhole } from "./wholeNumber.ts"

/** The flag (or `--body` field) a body field is set by, for messages. */
const flagOfField: Readonly<Record<string, string>> = {
  data_source1_id: "--data-source1-id (or --data-source-id)",
  data_source2_id: "--data-source2-id (or --data-source-id)",
  table1: "--table1",
  table2: "--table2",
  query1: "--query1",
  query2: "--query2",
  filter1: "--filter1",
  filter2: "--filter2",
  pk_columns: "--pk",
  infer_pk: "--infer-pk",
  "pk_columns/infer_pk": "--pk and --infer-pk",
  include_columns: "--include-column",
  exclude_columns: "--exclude-column",
  diff_tolerance: "--diff-tolerance"
}

const flagOf = (field: string): string => flagOfField[field] ?? `"${field}" of --body`

/** The words for a side that has neither a table nor a query. */
const missingSide = (n: 1 | 2): string =>
  `side ${n} needs --table${n} DB.SCHEMA.TABLE or --query${n} SQL (or table${n}/query${n} in --body)`

const issueLine = (issue: FieldIssue): string =>
  issue.field === "table1" && issue.problem.startsWith("side 1 needs")
    ? missingSide(1)
    : issue.field === "table2" && issue.problem.startsWith("side 2 needs")
    ? missingSide(2)
    : issue.field === "pk_columns" && issue.problem.startsWith("give the primary key")
    ? "the primary key is missing: give --pk COL (once per column) or --infer-pk to have Datafold find it"
    : issue.field.includes("/") && issue.field.startsWith("table")
    ? `${issue.problem.replace(/table(\d), query\d and file\d/, "--table$1, --query$1 and a file")}`
    : `${flagOf(issue.field)} ${issue.problem}`

const refuse = (problem: string, command = "diff create") => Either.left(new UsageError({ problem, command }))

/** `--table1 DB.SCHEMA.TABLE` as Datafold's path segments. */
const tablePath = (flag: string, raw: string): Either.Either<ReadonlyArray<string>, UsageError> => {
  const segments = raw.split(".").map((segment) => segment.trim())
  return segments.every((segment) => segment !== "") ? Either.right(segments) : refuse(
    `${flag} ${describeArgument(raw)} is invalid: it takes a table's path, DB.SCHEMA.TABLE, with no empty part.`
  )
}

const idFlag = (flag: string, raw: string | undefined): Either.Either<number | undefined, UsageError> => {
  if (raw === undefined) return Either.right(undefined)
  const id = parsePositiveWhole(raw)
  return id === undefined
    ? refuse(`${flag} ${describeArgument(raw)} is invalid: it takes a data source's id, a positive whole number.`)
    : Either.right(id)
}

/** The fields of the other ways to give a side, dropped from `--body` when a flag gives the side. */
const sideFields = (n: 1 | 2): ReadonlyArray<string> => [`table${n}`, `query${n}`, `file${n}`, `file${n}_options`]

/**
 * `diff create`'s body: `--body`'s object (if any) with the flags laid over it, checked
 * as a whole. A flag that gives a side (`--table1`) or the key (`--pk`) replaces every
 * way the body gave it, so the two never clash.
 */
export const readDataDiffInput = (
  flags: DiffFlags,
  body: Readonly<Record<string, unknown>> = {}
): Either.Either<DataDiffInput, UsageError> =>
  Either.gen(function* () {
    const both = yield* idFlag("--data-source-id", flags.dataSourceId)
    const first = yield* idFlag("--data-source1-id", flags.dataSource1Id)
    const second = yield* idFlag("--data-source2-id", flags.dataSource2Id)
    if (both !== undefined && (first !== undefined || second !== undefined)) {
      return yield* refuse(
        "Give --data-source-id for both sides, or --data-source1-id and --data-source2-id, not both ways."
      )
    }
    const merged: Record<string, unknown> = { ...body }
    const set = (fields: Record<string, unknown>, drop: ReadonlyArray<string> = []) => {
      for (const field of drop) delete merged[field]
      Object.assign(merged, fields)
    }
    if (both !== undefined) set({ data_source1_id: both, data_source2_id: both })
    if (first !== undefined) set({ data_source1_id: first })
    if (second !== undefined) set({ data_source2_id: second })
    for (const n of [1, 2] as const) {
      const table = flags[`table${n}`]
      const query = flags[`query${n}`]
      if (table !== undefined && query !== undefined) {
        return yield* refuse(`Give --table${n} or --query${n} for side ${n}, not both.`)
      }
      if (table !== undefined) set({ [`table${n}`]: yield* tablePath(`--table${n}`, table) }, sideFields(n))
      if (query !== undefined) set({ [`query${n}`]: query }, sideFields(n))
      const filter = flags[`filter${n}`]
      if (filter !== undefined) set({ [`filter${n}`]: filter })
    }
    if (flags.pk.length > 0 && flags.inferPk) {
      return yield* refuse("Give --pk COL or --infer-pk, not both: --infer-pk has Datafold find the key.")
    }
    if (flags.pk.length > 0) set({ pk_columns: flags.pk.map((column) => column.trim()) }, ["infer_pk"])
    if (flags.inferPk) set({ infer_pk: true }, ["pk_columns"])
    if (flags.includeColumns.length > 0) set({ include_columns: flags.includeColumns.map((c) => c.trim()) })
    if (flags.excludeColumns.length > 0) set({ exclude_columns: flags.excludeColumns.map((c) => c.trim()) })
    if (flags.diffTolerance !== undefined) {
      const text = flags.diffTolerance.trim()
      const tolerance = /^\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(text) ? Number(text) : Number.NaN
      if (!Number.isFinite(tolerance)) {
        return yield* refuse(
          `--diff-tolerance ${describeArgument(flags.diffTolerance)} is invalid: it takes a number, 0 or more ` +
            "(the difference under which two numbers count as equal), e.g. --diff-tolerance 0.001."
        )
      }
      set({ diff_tolerance: tolerance })
    }
    const issues = dataDiffInputIssues(merged)
    if (issues.length > 0) {
      const lines = issues.map(issueLine)
      return yield* refuse(
        lines.length === 1
          ? `The diff cannot be created: ${lines[0]}.`
          : `The diff cannot be created:${lines.map((line) => `\n  - ${line}`).join("")}.`
      )
    }
    return merged as unknown as DataDiffInput
  })

/** The data diff ids given to `diff wait`, `diff show` or `diff cancel`, each once. */
export const readDiffIds = (
  ids: ReadonlyArray<string> | undefined,
  command: string
): Either.Either<readonly [number, ...Array<number>], UsageError> => {
  const read: Array<number> = []
  for (const raw of ids ?? []) {
    const id = parsePositiveWhole(raw)
    if (id === undefined) {
      return refuse(`${describeArgument(raw)} is not a data diff id: ids are positive whole numbers, e.g. 41.`, command)
    }
    if (!read.includes(id)) read.push(id)
  }
  const [first, ...rest] = read
  return first === undefined
    ? refuse(`\`datafold-ci ${command}\` needs a data diff id.`, command)
    : Either.right([first, ...rest])
}

/** The statuses a data diff can have (`JobStatus`), as `diff list --status` takes them. */
export const JOB_STATUSES: ReadonlyArray<JobStatus> = [
  "needs_confirmation",
  "needs_authentication",
  "waiting",
  "queued",
  "processing",
  "done",
  "failed",
  "cancelled"
]

/** The filters of `diff list`, checked before anything is sent. */
export interface ListFilters {
  readonly ciRunId: number | undefined
  readonly statuses: ReadonlyArray<string> | undefined
  /** How many diffs to print, newest first. */
  readonly limit: number
}

/** How many diffs `diff list` prints when `--limit` is left out. */
export const DEFAULT_LIST_LIMIT = 20

/** `diff list`'s `--ci-run-id`, `--status` (comma-separated) and `--limit`. */
export const readListFilters = (
  args: Pick<CommandArgs, "ciRunId" | "status" | "limit">
): Either.Either<ListFilters, UsageError> =>
  Either.gen(function* () {
    const command = "diff list"
    let ciRunId: number | undefined
    if (args.ciRunId !== undefined) {
      ciRunId = parsePositiveWhole(args.ciRunId)
      if (ciRunId === undefined) {
        return yield* refuse(
          `--ci-run-id ${describeArgument(args.ciRunId)} is invalid: it takes a CI run's id, a positive whole number ` +
            "(datafold-ci runs lists them).",
          command
        )
      }
    }
    let statuses: ReadonlyArray<string> | undefined
    if (args.status !== undefined) {
      statuses = args.status.split(",").map((status) => status.trim().toLowerCase()).filter((s) => s !== "")
      const unknown = statuses.filter((status) => !(JOB_STATUSES as ReadonlyArray<string>).includes(status))
      if (unknown.length > 0 || statuses.length === 0) {
        return yield* refuse(
          `--status ${describeArgument(args.status)} is invalid: the statuses are ${JOB_STATUSES.join(", ")}, ` +
            "comma-separated, e.g. --status done,failed.",
          command
        )
      }
    }
    let limit = DEFAULT_LIST_LIMIT
    if (args.limit !== undefined) {
      const given = parsePositiveWhole(args.limit)
      if (given === undefined || given > MAX_PAGE_SIZE * 10) {
        return yield* refuse(
          `--limit ${describeArgument(args.limit)} is invalid: it takes a whole number from 1 to ${
            MAX_PAGE_SIZE * 10
          }.`,
          command
        )
      }
      limit = given
    }
    return { ciRunId, statuses, limit }
  })
