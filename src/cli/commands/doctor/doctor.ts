/**
 * `datafold-ci doctor`: a checklist of what a pipeline needs (settings, the host, the key,
 * the CI config, the dbt manifest, the CI system's PR facts, a checked-out merge commit),
 * every check run and reported, none stopping the others. Network checks use a short
 * timeout and no retries unless asked. The API key is scrubbed from every line.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { existsSync } from "node:fs"
import { stat } from "node:fs/promises"
import { isAbsolute, join, resolve } from "node:path"
import { manifestContentProblem } from "../../../core/dbt/manifestCheck.ts"
import type { DatafoldError } from "../../../DatafoldError.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import type { SettingIssue } from "../../args/CliError.ts"
import { DEFAULT_TARGET_FOLDER } from "../../args/dbtDefaults.ts"
import { attemptTimeoutOf } from "../../args/waitFlags.ts"
import { ciMergeCommit } from "../../facts/ciMergeCommit.ts"
import { ciSystemLabels, detectCiSystem, type Env } from "../../facts/CiEnvironment.ts"
import { prFactLabels, prFactNames, type PrFacts } from "../../facts/PrFact.ts"
import { resolvePrFacts } from "../../facts/resolvePrFacts.ts"
import { cliClient } from "../../shell/cliClient.ts"
import { cliDataDiffs } from "../../shell/cliDataDiffs.ts"
import { type CliSettings, readSettings } from "../../shell/CliSettings.ts"
import type { CommandContext } from "../../shell/context.ts"

/** One item of the checklist: what was checked, whether it passed, what was found, how to fix it. */
export interface DoctorCheck {
  readonly name: string
  readonly ok: boolean
  /** What was found; may span lines (the PR facts, one a line). */
  readonly detail: string
  /** What to do; `undefined` when nothing is to be done. */
  readonly fix: string | undefined
}

/** The checklist; `ok` when every check passed. */
export interface DoctorOutcome {
  readonly ok: boolean
  readonly checks: ReadonlyArray<DoctorCheck>
}

/** A network check's default per-attempt timeout: short, a doctor should answer quickly. */
const PROBE_TIMEOUT = Duration.seconds(10)

const pass = (name: string, detail: string, fix?: string): DoctorCheck => ({ name, ok: true, detail, fix })
const fail = (name: string, detail: string, fix: string): DoctorCheck => ({ name, ok: false, detail, fix })

const given = (value: string | undefined): boolean => value !== undefined && value.trim() !== ""

/** Which checklist item a setting issue belongs to, by the setting's name. */
const issueKind = (issue: SettingIssue): "host" | "ciConfig" | "other" =>
  /host/i.test(issue.setting) ? "host" : /ci.config/i.test(issue.setting) ? "ciConfig" : "other"

/** What reading the settings gave: the settings (unless the host is unusable) and every issue. */
interface DoctorSettings {
  readonly settings: CliSettings | undefined
  readonly ciConfigGiven: boolean
  readonly issues: ReadonlyArray<SettingIssue>
}

/**
 * The settings as `readSettings` checks them, read so that one bad setting does not stop
 * the rest: a missing key is allowed (the key check says so), a missing CI config id is a
 * skipped check, and a bad timeout or retry count falls back to the defaults.
 */
const readDoctorSettings = (args: CommandArgs, env: Env): Effect.Effect<DoctorSettings> =>
  Effect.gen(function* () {
    const ciConfigGiven = given(args.ciConfigId) || given(env["DATAFOLD_CI_CONFIG_ID"])
    const timeout = Either.getOrElse(attemptTimeoutOf(args, false), () => args.timeout)
    const attempt = (flags: CommandArgs, environment: Env) =>
      Effect.either(readSettings({
        ...flags,
        // A placeholder when no id is given: the CI config check is skipped then.
        ciConfigId: ciConfigGiven ? flags.ciConfigId : "0",
        timeout,
        dryRun: true
      }, environment))
    const first = yield* attempt(args, env)
    if (Either.isRight(first)) return { settings: first.right, ciConfigGiven, issues: [] }
    const issues = first.left.issues
    if (issues.some((issue) => issueKind(issue) === "host")) return { settings: undefined, ciConfigGiven, issues }
    // Read again with the bad settings left out, so the network checks still run.
    const bad = new Set(issues.map((issue) => issue.setting))
    const drop = (flag: string, variable: string) => bad.has(flag) || bad.has(variable)
    const again = yield* Effect.either(readSettings({
      ...args,
      ciConfigId: ciConfigGiven && !drop("--ci-config-id", "DATAFOLD_CI_CONFIG_ID") ? args.ciConfigId : "0",
      timeout: drop("--timeout", "DATAFOLD_TIMEOUT") ? undefined : timeout,
      retries: drop("--retries", "DATAFOLD_RETRIES") ? undefined : args.retries,
      dryRun: true
    }, {
      ...env,
      DATAFOLD_CI_CONFIG_ID: drop("--ci-config-id", "DATAFOLD_CI_CONFIG_ID") ? undefined : env["DATAFOLD_CI_CONFIG_ID"],
      DATAFOLD_TIMEOUT: drop("--timeout", "DATAFOLD_TIMEOUT") ? undefined : env["DATAFOLD_TIMEOUT"],
      DATAFOLD_RETRIES: drop("--retries", "DATAFOLD_RETRIES") ? undefined : env["DATAFOLD_RETRIES"]
    }))
    return { settings: Either.getOrUndefined(again), ciConfigGiven, issues }
  })

/** The settings item: the host and where it came from, or every setting to fix. */
export const settingsCheck = (read: DoctorSettings): DoctorCheck => {
  const others = read.issues.filter((issue) => issueKind(issue) !== "ciConfig")
  if (others.length > 0) {
    return fail(
      "settings",
      others.map((issue) => `${issue.setting} ${issue.problem}`).join("\n"),
      "Fix the settings named above (flags or DATAFOLD_* variables)."
    )
  }
  const host = read.settings?.host
  return pass("settings", host === undefined ? "read" : `host ${host.value} (${host.source})`)
}

const networkFixes: { readonly [reason: string]: string } = {
  ConnectionRefused:
    "Nothing answers at that address: check DATAFOLD_HOST (or --host) and its port, and that the server is up.",
  HostNotFound: "The name does not resolve: check DATAFOLD_HOST for a typo, and the runner's DNS.",
  Tls:
    "Check that DATAFOLD_HOST is your Datafold's https:// URL, and the runner's CA certificates (NODE_EXTRA_CA_CERTS for a private CA).",
  Timeout: "Check the network between the runner and Datafold (firewall, proxy, IP allow-list), or raise --timeout.",
  ConnectionReset: "Something closed the connection (a proxy or firewall?): check the runner's network.",
  PermissionDenied: "On Deno, allow the host with --allow-net.",
  Other: "Check the runner's network, and DATAFOLD_HOST."
}

const networkLabels: { readonly [reason: string]: string } = {
  ConnectionRefused: "connection refused",
  HostNotFound: "DNS: host not found",
  Tls: "TLS failed",
  Timeout: "timed out",
  ConnectionReset: "connection reset",
  PermissionDenied: "network access not permitted",
  Other: "network failure"
}

/** The host item, judged by the organization probe's answer: any HTTP answer means it is reachable. */
export const reachableCheck = (host: string, probe: Either.Either<unknown, DatafoldError>): DoctorCheck => {
  if (Either.isRight(probe)) return pass("host reachable", `${host} answered`)
  const error = probe.left
  if (error._tag === "DatafoldNetworkError") {
    return fail(
      "host reachable",
      `${host}: ${networkLabels[error.reason] ?? error.reason} (${error.detail})`,
      networkFixes[error.reason] ?? networkFixes["Other"]!
    )
  }
  return pass("host reachable", `${host} answered${"status" in error ? ` (HTTP ${error.status})` : ""}`)
}

/** The key item: accepted (the organization named), refused, or not checkable. */
export const keyCheck = (
  keyMissing: boolean,
  probe: Either.Either<{ readonly org_name: string }, DatafoldError>
): DoctorCheck => {
  const name = "API key"
  if (keyMissing) {
    return fail(
      name,
      "DATAFOLD_API_KEY is not set",
      "Set DATAFOLD_API_KEY to a Datafold API key, stored as a CI secret (a service-account key is best for CI)."
    )
  }
  if (Either.isRight(probe)) return pass(name, `accepted: organization ${JSON.stringify(probe.right.org_name)}`)
  const error = probe.left
  switch (error._tag) {
    case "DatafoldAuthError":
      return fail(
        name,
        `not accepted (HTTP ${error.status})`,
        "Put a current key for this Datafold instance in DATAFOLD_API_KEY (a service-account key for CI), " +
          "and check that DATAFOLD_HOST is the instance the key belongs to."
      )
    case "DatafoldNetworkError":
      return fail(name, "not checked: the host could not be reached", "Fix the host first (see above).")
    case "DatafoldNotFoundError":
    case "DatafoldResponseError":
      return fail(
        name,
        `not checked: the host does not answer as Datafold does (${error.message})`,
        "Check that DATAFOLD_HOST is your Datafold URL, such as https://app.datafold.com, without a path."
      )
    default:
      return fail(name, `not checked: ${error.message}`, "Try again later; if it persists, check DATAFOLD_HOST.")
  }
}

/** The CI config item: its runs can be listed; skipped when no id is given. */
export const ciConfigCheck = (
  read: DoctorSettings,
  listing: Either.Either<ReadonlyArray<{ readonly id: number; readonly status: string }>, DatafoldError> | undefined
): DoctorCheck => {
  const name = "CI config"
  const issue = read.issues.find((one) => issueKind(one) === "ciConfig")
  if (issue !== undefined) {
    return fail(name, `${issue.setting} ${issue.problem}`, "Give the CI config's id, a whole number.")
  }
  if (!read.ciConfigGiven) {
    return pass(name, "skipped: give --ci-config-id N (or DATAFOLD_CI_CONFIG_ID) to check it")
  }
  const id = read.settings?.ciConfigId.value
  if (listing === undefined) return fail(name, "not checked: the settings are not usable", "Fix the settings first.")
  if (Either.isRight(listing)) {
    const [newest] = listing.right
    return pass(
      name,
      `${id} exists (${newest === undefined ? "no runs yet" : `newest run ${newest.id}, ${newest.status}`})`
    )
  }
  const error = listing.left
  switch (error._tag) {
    case "DatafoldNotFoundError":
      return fail(
        name,
        `no CI config ${id} (HTTP 404)`,
        "Check the id in Datafold under Settings → CI (the number in the CI config's URL), and that the key is of its organization."
      )
    case "DatafoldAuthError":
      return fail(name, "not checked: the key was not accepted", "Fix the API key first (see above).")
    case "DatafoldNetworkError":
      return fail(name, "not checked: the host could not be reached", "Fix the host first (see above).")
    default:
      return fail(name, `not checked: ${error.message}`, "Try again later; if it persists, check DATAFOLD_HOST.")
  }
}

/** The dbt item: in a dbt project (or with `--target-folder`), the target's manifest reads as a dbt manifest. */
export const manifestCheck = (targetFolder: string | undefined, cwd: string): Effect.Effect<DoctorCheck> =>
  Effect.promise(async () => {
    const name = "dbt manifest"
    if (targetFolder === undefined && !existsSync(join(cwd, "dbt_project.yml"))) {
      return pass(name, "skipped: no dbt_project.yml here (give --target-folder to check a dbt target)")
    }
    const folder = targetFolder ?? DEFAULT_TARGET_FOLDER
    const shown = join(folder, "manifest.json")
    const path = join(isAbsolute(folder) ? folder : resolve(cwd, folder), "manifest.json")
    const build = "Build the project first (dbt compile, dbt build or dbt docs generate writes it), " +
      "or pass --target-folder with the folder dbt wrote to."
    const found = await stat(path).catch(() => undefined)
    if (found === undefined) return fail(name, `${shown} not found`, build)
    if (!found.isFile()) return fail(name, `${shown} is not a file`, build)
    const problem = await manifestContentProblem(path)
    return problem === undefined
      ? pass(name, `${shown} is a dbt manifest`)
      : fail(name, `${shown} is not a dbt manifest: ${problem}`, build)
  })

/** The resolved PR facts, one a line, each with its source. */
const factLines = (facts: PrFacts): string =>
  prFactNames.map((fact) => `${prFactLabels[fact]}: ${facts[fact].value} (from ${facts[fact].source})`).join("\n")

/** The CI item and the merge-commit item, from one resolution of the PR facts. */
export const ciChecks = (env: Env, cwd: string): Effect.Effect<ReadonlyArray<DoctorCheck>> =>
  Effect.gen(function* () {
    const system = detectCiSystem(env)
    const where = system === undefined ? "no CI system detected (a local run)" : `${ciSystemLabels[system]} detected`
    const resolved = yield* Effect.either(resolvePrFacts({ flags: {}, env, cwd }))
    const ci = Either.isRight(resolved)
      ? pass("CI system", `${where}\n${factLines(resolved.right.facts)}`)
      : system === undefined
      ? pass(
        "CI system",
        `${where}; warning: ${resolved.left.message}`,
        "Outside CI this is expected; in a pipeline, run doctor as one of its steps."
      )
      : fail(
        "CI system",
        `${where}; ${resolved.left.message}`,
        "Pass the missing PR fact with its flag to the commands."
      )

    const merge = ciMergeCommit(env)
    const head = Either.isRight(resolved) ? resolved.right.facts.prSha : undefined
    const name = "merge commit"
    const mergeCheck = merge !== undefined
      ? head !== undefined && head.value.toLowerCase() !== merge.sha.toLowerCase()
        ? pass(
          name,
          `the CI checked out merge commit ${merge.sha} (${merge.variable}); sent instead: ${head.value} (from ${head.source})`
        )
        : fail(
          name,
          `the CI checked out merge commit ${merge.sha} (${merge.variable}), and no PR head was found to send instead`,
          "Pass --pr-sha with the PR head commit (not the merge)."
        )
      : head !== undefined && head.source.includes("was a merge commit")
      ? pass(name, `HEAD is a merge commit; sent instead: ${head.value} (from ${head.source})`)
      : pass(name, "none checked out")
    return [ci, mergeCheck]
  })

/** Replaces every occurrence of the key (either variable's) with `<redacted>`, so a server that echoes it is not repeated. */
const scrubber = (env: Env) => {
  const keys = [env["DATAFOLD_API_KEY"], env["DATAFOLD_APIKEY"]].flatMap((key) =>
    key !== undefined && key.trim().length >= 4 ? [key.trim()] : []
  )
  const scrub = (text: string) => keys.reduce((out, key) => out.replaceAll(key, "<redacted>"), text)
  return (check: DoctorCheck): DoctorCheck => ({
    ...check,
    detail: scrub(check.detail),
    fix: check.fix === undefined ? undefined : scrub(check.fix)
  })
}

/** Runs every check; never fails. */
export const doctor = (args: CommandArgs, context: CommandContext): Effect.Effect<DoctorOutcome> =>
  Effect.gen(function* () {
    const read = yield* readDoctorSettings(args, context.env)
    const settings = read.settings === undefined
      ? undefined
      : { ...read.settings, timeout: read.settings.timeout ?? PROBE_TIMEOUT, retries: read.settings.retries ?? 0 }
    const network: Array<DoctorCheck> = []
    if (settings === undefined) {
      const notChecked = "not checked: the host setting is not usable"
      network.push(fail("host reachable", notChecked, "Fix the settings first (see above)."))
      network.push(fail("API key", notChecked, "Fix the settings first (see above)."))
      network.push(ciConfigCheck(read, undefined))
    } else {
      const probe = Either.match(cliDataDiffs(settings), {
        onLeft: (error) => Effect.succeed(Either.left(error)),
        onRight: (diffs) => Effect.either(diffs.organizationMeta())
      })
      const listing = read.ciConfigGiven
        ? Either.match(cliClient(settings), {
          onLeft: (error) => Effect.succeed(Either.left(error)),
          onRight: (client) => Effect.either(client.listRuns(settings.ciConfigId.value, { limit: 1 }))
        })
        : Effect.succeed(undefined)
      const [org, runs] = yield* Effect.all([probe, listing], { concurrency: 2 })
      const orgResult = org as Either.Either<{ readonly org_name: string }, DatafoldError>
      network.push(reachableCheck(settings.host.value, orgResult))
      network.push(keyCheck(settings.keyMissing, orgResult))
      network.push(
        ciConfigCheck(
          read,
          runs as Either.Either<ReadonlyArray<{ id: number; status: string }>, DatafoldError> | undefined
        )
      )
    }
    const manifest = yield* manifestCheck(args.targetFolder, context.cwd)
    const ci = yield* ciChecks(context.env, context.cwd)
    const checks = [settingsCheck(read), ...network, manifest, ...ci].map(scrubber(context.env))
    return { ok: checks.every((check) => check.ok), checks }
  })
