/**
 * `datafold-ci diff list`: the newest data diffs, page after page until `--limit`, with
 * `--ci-run-id` and `--status` checked on every listed diff (Datafold does not declare
 * those filters, so a server may ignore them).
 *
 * @module
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { dataDiffLink } from "../../../core/diffs/paths.ts"
import type { DataDiff } from "../../../core/diffs/shapes.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { type ListFilters, readListFilters } from "../../args/diffFlags.ts"
import { dataDiffsFor } from "../../shell/cliDataDiffs.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import type { Command } from "../../shell/Command.ts"
import type { CommandContext } from "../../shell/context.ts"
import { columnTable, plural } from "../../shell/text.ts"

/** The diffs listed, newest first, and what the filters left out. */
export interface ListedDiffs {
  readonly host: string
  readonly filters: ListFilters
  readonly diffs: ReadonlyArray<DataDiff>
  /** Listed diffs that did not match the filters: the server ignored them. */
  readonly leftOut: number
}

/** The page size asked for: no larger than needed, at most 100. */
const pageSizeFor = (limit: number): number => Math.min(limit, 100)

/** Runs `datafold-ci diff list`. */
export const diffList = (args: CommandArgs, context: CommandContext): Effect.Effect<ListedDiffs, CliFailure> =>
  Effect.gen(function* () {
    const filters = yield* readListFilters(args)
    const { diffs: service } = yield* dataDiffsFor(args, context.env)
    let leftOut = 0
    const matches = (diff: DataDiff): boolean => {
      const ok = (filters.ciRunId === undefined || diff.ci_run_id === filters.ciRunId) &&
        (filters.statuses === undefined || filters.statuses.includes(diff.status))
      if (!ok) leftOut += 1
      return ok
    }
    const listed = yield* service.listDataDiffs({
      pageSize: pageSizeFor(filters.limit),
      orderBy: "id",
      sortOrder: "desc",
      ciRunId: filters.ciRunId,
      status: filters.statuses
    }).pipe(Stream.filter(matches), Stream.take(filters.limit), Stream.runCollect)
    return { host: service.host, filters, diffs: Chunk.toReadonlyArray(listed), leftOut }
  })

const side = (table: ReadonlyArray<string> | null, query: string | null): string =>
  table !== null ? table.join(".") : query !== null ? "(query)" : "?"

const headline = (listed: ListedDiffs): string => {
  const filters = [
    ...(listed.filters.ciRunId === undefined ? [] : [`of CI run ${listed.filters.ciRunId}`]),
    ...(listed.filters.statuses === undefined ? [] : [`with status ${listed.filters.statuses.join(" or ")}`])
  ]
  const which = filters.length === 0 ? "" : ` ${filters.join(", ")}`
  const count = listed.diffs.length
  return count === listed.filters.limit
    ? `The newest ${count === 1 ? "data diff" : `${count} data diffs`}${which} (--limit ${count}; raise it for more).`
    : `${plural(count, "data diff")}${which}, newest first.`
}

/** `diff list` as `main` runs it. */
export const diffListCommand: Command<ListedDiffs> = {
  run: diffList,
  text: (listed) =>
    [
      headline(listed),
      ...(listed.diffs.length === 0 ? [] : [
        columnTable([
          ["ID", "STATUS", "RESULT", "TABLES", "CREATED"],
          ...listed.diffs.map((diff) => [
            String(diff.id),
            diff.status,
            diff.result ?? "-",
            `${side(diff.table1, diff.query1)} <> ${side(diff.table2, diff.query2)}`,
            diff.created_at ?? "-"
          ])
        ]).trimEnd()
      ]),
      ...(listed.leftOut === 0 ? [] : [`(${plural(listed.leftOut, "listed diff")} not matching the filters left out.)`])
    ].join("\n") + "\n",
  json: (listed) => ({
    ok: true,
    filters: { ci_run_id: listed.filters.ciRunId ?? null, status: listed.filters.statuses ?? null },
    limit: listed.filters.limit,
    left_out: listed.leftOut,
    diffs: listed.diffs.map((diff) => ({
      id: diff.id,
      status: diff.status,
      result: diff.result,
      table1: diff.table1,
      table2: diff.table2,
      ci_run_id: diff.ci_run_id,
      created_at: diff.created_at,
      link: dataDiffLink(listed.host, diff.id)
    }))
  }),
  summary: (listed) =>
    `### Datafold: ${headline(listed)}\n\n` +
    (listed.diffs.length === 0 ? "" : [
      "| Diff | Status | Result | Tables |",
      "| --- | --- | --- | --- |",
      ...listed.diffs.map((diff) =>
        `| [${diff.id}](${dataDiffLink(listed.host, diff.id)}) | ${diff.status} | ${diff.result ?? "-"} | ${
          side(diff.table1, diff.query1)
        } ↔ ${side(diff.table2, diff.query2)} |`
      )
    ].join("\n") + "\n")
}
