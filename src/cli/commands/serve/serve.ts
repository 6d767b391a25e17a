/**
 * `datafold-ci serve`: the local Datafold-compatible server of `effect-datafold/testing`
 * as a command, for trying the CLI offline and for users' own pipeline tests. Loaded only
 * when this command runs, so the other commands do not carry the server at start-up.
 *
 * @module
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Endpoint, LocalDatafoldServer } from "../../../localServer/LocalDatafoldServer.ts"
import { startLocalDatafoldServer } from "../../../localServer/LocalDatafoldServer.ts"
import * as Fault from "../../../localServer/Fault.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { describeArgument } from "../../args/CliArgs.ts"
import { UsageError } from "../../args/CliError.ts"
import { ExitCode } from "../../shell/ExitCode.ts"
import type { MainContext } from "../../shell/context.ts"

const usage = (problem: string) => Either.left(new UsageError({ problem }))

/** A status (or a kind of broken answer) from `--fail`, as a fault. */
const faultFor = (kind: string): Fault.Fault | undefined => {
  switch (kind) {
    case "drop":
      return Fault.dropConnection()
    case "cut-upload":
      return Fault.cutUpload()
    case "reset":
      return Fault.resetMidBody()
    case "malformed":
      return Fault.malformedBody()
    case "lose-answer":
      return Fault.loseAnswer()
    case "401":
      return Fault.unauthorized()
    case "403":
      return Fault.forbidden()
    case "404":
      return Fault.notFound()
    case "413":
      return Fault.payloadTooLarge()
    case "422":
      return Fault.validation()
    case "429":
      return Fault.rateLimited(1)
    case "500":
    case "502":
    case "503":
    case "504":
      return Fault.serverError(Number(kind) as 500 | 502 | 503 | 504)
  }
  return /^[45]\d\d$/.test(kind)
    ? Fault.respond(Number(kind), JSON.stringify({ detail: `injected ${kind}` }), {
      "content-type": "application/json"
    })
    : undefined
}

/** What `serve` was asked for, checked. */
interface ServeOptions {
  readonly port: number
  readonly endpoint: Endpoint
  readonly faults: ReadonlyArray<{ readonly fault: Fault.Fault; readonly times: number }>
  readonly runStatuses: ReadonlyArray<string>
}

const faultEndpoints: ReadonlyArray<Endpoint> = ["trigger", "runs", "upload", "dbtUpload", "dbtCheck", "checkPks"]

/** Unlike the library's server, a run ends, so that waiting for it (`dbt upload-and-wait`) ends offline too. */
const defaultRunStatuses = ["running", "done"]

/** Reads `--port`, `--fail`, `--delay-ms`, `--lose-answer`, `--fault-endpoint` and `--run-statuses`. */
export const serveOptions = (args: CommandArgs): Either.Either<ServeOptions, UsageError> => {
  const port = args.port === undefined ? 0 : /^\d{1,5}$/.test(args.port) ? Number(args.port) : Number.NaN
  if (!(port >= 0 && port <= 65535)) {
    return usage(`--port ${describeArgument(args.port ?? "")} is invalid: it takes a port number from 0 to 65535.`)
  }
  const endpoint = faultEndpoints.find((name) => name === (args.faultEndpoint ?? "trigger"))
  if (endpoint === undefined) {
    return usage(
      `--fault-endpoint ${describeArgument(args.faultEndpoint ?? "")} is invalid: it is ${
        faultEndpoints.slice(0, -1).join(", ")
      } or ${faultEndpoints.at(-1)}.`
    )
  }
  const runStatuses = args.runStatuses === undefined
    ? defaultRunStatuses
    : args.runStatuses.split(",").map((status) => status.trim())
  if (runStatuses.some((status) => !/^[a-z][a-z_-]{0,31}$/.test(status))) {
    return usage(
      `--run-statuses ${
        describeArgument(args.runStatuses ?? "")
      } is invalid: it takes statuses separated by commas, e.g. running,done or running,failed or cancelled.`
    )
  }
  const faults: Array<{ fault: Fault.Fault; times: number }> = []
  for (const spec of args.fail ?? []) {
    const match = /^([a-z-]+|\d{3})(?:x(\d{1,4}))?$/.exec(spec.trim())
    const fault = match?.[1] === undefined ? undefined : faultFor(match[1])
    if (match === null || fault === undefined) {
      return usage(
        `--fail ${
          describeArgument(spec)
        } is invalid: it takes a status (401, 403, 404, 413, 422, 429, 500, 502, 503, 504, ` +
          `or any 4xx/5xx) or drop, reset, malformed, lose-answer, cut-upload, with an optional count: --fail 503x2.`
      )
    }
    faults.push({ fault, times: match[2] === undefined ? 1 : Number(match[2]) })
  }
  if (args.delayMs !== undefined) {
    const millis = /^\d{1,7}$/.test(args.delayMs) ? Number(args.delayMs) : Number.NaN
    if (Number.isNaN(millis)) {
      return usage(`--delay-ms ${describeArgument(args.delayMs)} is invalid: it takes a whole number of milliseconds.`)
    }
    faults.push({ fault: Fault.slow(millis), times: 1 })
  }
  if (args.loseAnswer === true) faults.push({ fault: Fault.loseAnswer(), times: 1 })
  return Either.right({ port, endpoint, faults, runStatuses })
}

/**
 * Runs the server until `context.onStop` fires (SIGINT or SIGTERM from the entry). The
 * URL is the first line on stdout; then one JSON line per request, without headers, so
 * never a key.
 */
export const serve = (args: CommandArgs, context: MainContext): Effect.Effect<ExitCode, UsageError> =>
  Effect.gen(function* () {
    const options = yield* serveOptions(args)
    const key = [context.env["DATAFOLD_API_KEY"], context.env["DATAFOLD_APIKEY"]]
      .find((value) => value !== undefined && value.trim() !== "")?.trim()
    const server: LocalDatafoldServer = yield* Effect.tryPromise({
      try: () =>
        startLocalDatafoldServer({
          port: options.port,
          runStatuses: options.runStatuses,
          ...(key === undefined ? { acceptAnyKey: true } : { apiKey: key }),
          onRequest: (entry) => context.io.stdout(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`)
        }),
      catch: (error) =>
        new UsageError({
          problem: `Cannot listen on 127.0.0.1:${options.port} (${
            (error as { code?: string }).code ?? String(error)
          }). Choose another --port, or --port 0 for any free one.`
        })
    })
    for (const { fault, times } of options.faults) server.inject(fault, { endpoint: options.endpoint, times })
    // Listening for the stop before the URL is out: a caller may send SIGTERM as soon as it reads it.
    const stopped = yield* Deferred.make<void>()
    context.onStop?.(() => Deferred.unsafeDone(stopped, Effect.void))
    context.io.stdout(`${server.url}\n`)
    context.io.stderr(
      `datafold-ci serve: a local Datafold-compatible server on ${server.url} ` +
        `(DATAFOLD_HOST=${server.url}). It accepts ${
          key === undefined ? "any API key (DATAFOLD_API_KEY is not set)" : "only the key in DATAFOLD_API_KEY"
        }. Stop it with Ctrl-C.\n`
    )
    yield* Deferred.await(stopped)
    yield* Effect.promise(() => server.close())
    context.io.stderr("datafold-ci serve: stopped\n")
    return ExitCode.Triggered
  })
