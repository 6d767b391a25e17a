/**
 * `datafold-ci trigger`: read the settings, find the PR facts, and either trigger the
 * run or (with `--dry-run`) describe the request without sending it.
 *
 * @module
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { DatafoldClient, type PreparedTrigger } from "../DatafoldClient.ts"
import { DEFAULTS } from "../DatafoldConfig.ts"
import type { DatafoldError } from "../DatafoldError.ts"
import type { PrDetails, PrDetailsInput } from "../PrDetails.ts"
import type { SubmitCiJob } from "../SubmitCiJob.ts"
import type { TriggerArgs } from "./CliArgs.ts"
import type { CiSystemName, Env } from "./CiEnvironment.ts"
import { SettingsError } from "./CliError.ts"
import type { CliFailure } from "./CliFailure.ts"
import { configErrorIssues, readSettings } from "./CliSettings.ts"
import type { PrFacts, Sourced } from "./PrFact.ts"
import { resolvePrFacts } from "./resolvePrFacts.ts"

/** What a trigger was about: the values sent, and where each came from. */
export interface TriggerReport {
  readonly ciConfigId: Sourced<number>
  readonly host: Sourced<string>
  /** The CI system detected from the environment, if any. */
  readonly system: CiSystemName | undefined
  /** The five PR facts with their sources, as found. */
  readonly facts: PrFacts
  /** The details as validated by the library (SHAs in lower case). */
  readonly details: PrDetails
}

/** The result of `datafold-ci trigger`. */
export type TriggerOutcome =
  | { readonly _tag: "Triggered"; readonly report: TriggerReport; readonly job: SubmitCiJob }
  | { readonly _tag: "DryRun"; readonly report: TriggerReport; readonly request: PreparedTrigger }

/** Where the command runs: its environment and working directory (for the git fallback). */
export interface TriggerContext {
  readonly env: Env
  readonly cwd: string
}

const toDetails = (facts: PrFacts): PrDetailsInput => ({
  pr_number: facts.prNumber.value,
  pr_branch: facts.prBranch.value,
  base_branch: facts.baseBranch.value,
  pr_sha: facts.prSha.value,
  base_sha: facts.baseSha.value
})

/**
 * The overall deadline: the library's default, stretched when a longer per-attempt
 * timeout is asked for, so `--timeout 180` is not cut short by the 2-minute default.
 */
export const deadlineFor = (timeout: Duration.Duration | undefined, retries: number | undefined): Duration.Duration =>
  timeout === undefined
    ? DEFAULTS.deadline
    : Duration.max(DEFAULTS.deadline, Duration.times(timeout, (retries ?? DEFAULTS.retries) + 1))

/** Sends (or only prepares) the trigger with the `DatafoldClient` in context. */
const send = (
  dryRun: boolean,
  base: Omit<TriggerReport, "details">
): Effect.Effect<TriggerOutcome, DatafoldError, DatafoldClient> =>
  Effect.gen(function* () {
    const client = yield* DatafoldClient
    const details = toDetails(base.facts)
    // Validates the id and every detail without sending; a real run sends exactly this.
    const request = yield* client.prepareTrigger(base.ciConfigId.value, details)
    const report: TriggerReport = { ...base, details: request.details }
    if (dryRun) return { _tag: "DryRun", report, request } as const
    const job = yield* client.trigger(base.ciConfigId.value, details)
    return { _tag: "Triggered", report, job } as const
  })

/**
 * Runs `datafold-ci trigger`. Cheap checks come first (settings, then PR facts), and the
 * library validates the details before anything is sent, so every usage problem fails
 * without a request.
 */
export const trigger = (args: TriggerArgs, context: TriggerContext): Effect.Effect<TriggerOutcome, CliFailure> =>
  Effect.gen(function* () {
    const settings = yield* readSettings(args, context.env)
    const { facts, system } = yield* resolvePrFacts({
      flags: {
        prNumber: args.prNumber,
        prBranch: args.prBranch,
        baseBranch: args.baseBranch,
        prSha: args.prSha,
        baseSha: args.baseSha
      },
      env: context.env,
      cwd: context.cwd
    })
    const clientLayer = DatafoldClient.layer({
      apiKey: settings.apiKey,
      host: settings.host.value,
      timeout: settings.timeout,
      deadline: deadlineFor(settings.timeout, settings.retries),
      retries: settings.retries
    }).pipe(
      // node:http rather than fetch: on Node 20 the first fetch loads the runtime's bundled
      // undici (about 100 ms), the largest part of a one-shot CLI's start. The library's
      // portable default stays fetch; this transport is bundled into the CLI only.
      Layer.provide(NodeHttpClient.layer),
      // The settings were checked already; this only keeps a library-side refusal a usage error.
      Layer.mapError((error) => new SettingsError({ issues: configErrorIssues(error) }))
    )
    return yield* send(args.dryRun, { ciConfigId: settings.ciConfigId, host: settings.host, system, facts }).pipe(
      Effect.provide(clientLayer)
    )
  })
