/**
 * Looking for the run an earlier trigger attempt may have started, so that a retry
 * returns it instead of starting a second run for the same commit.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { type CiRun, CiRuns } from "../CiRun.ts"
import type { DatafoldError } from "../DatafoldError.ts"
import type { PrDetails } from "../PrDetails.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import type { Attempt } from "./attempt.ts"
import { runsRequest } from "./requests.ts"

const decodeCiRuns = Schema.decodeUnknownEither(CiRuns)

const addSpanEvent = (name: string, attributes: Record<string, unknown>): Effect.Effect<void> =>
  Effect.currentSpan.pipe(
    Effect.flatMap((span) =>
      Effect.map(Clock.currentTimeNanos, (now) => {
        span.event(name, now, attributes)
      })
    ),
    Effect.ignore
  )

/** The run for this PR number and head SHA, if the listing shows one. */
export const findRun = (
  attempt: Attempt,
  host: string,
  ciConfigId: number,
  details: PrDetails,
  deadlineAt: number
): Effect.Effect<CiRun | undefined, DatafoldError> =>
  attempt(
    runsRequest(host, ciConfigId, { prSha: details.pr_sha, prNumber: details.pr_number }),
    decodeCiRuns,
    deadlineAt
  )
    .pipe(
      Effect.map((runs) =>
        runs.find((run) => run.pr_sha.toLowerCase() === details.pr_sha && run.pr_num === String(details.pr_number))
      )
    )

/** A found run as the trigger's answer, logged and marked on the trigger span. */
export const reuseRun = (run: CiRun, details: PrDetails): Effect.Effect<SubmitCiJob> =>
  Effect.logInfo("Datafold already started a run for this PR and SHA; returning it").pipe(
    Effect.annotateLogs({ "datafold.ci_run_id": run.id, "datafold.pr_number": details.pr_number }),
    Effect.zipRight(addSpanEvent("datafold.trigger.deduplicated", { "datafold.ci_run_id": run.id })),
    Effect.as(new SubmitCiJob({ ci_run_id: run.id, run_id: null }))
  )
