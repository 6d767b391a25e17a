/**
 * The shared fault table: one row per way the service or the network can fail, as plain
 * data (the server's behaviour, the client's options, and what must follow: the outcome's
 * tag and fields, the requests the server saw, the runs it created). The Effect 3 suite
 * (`test/faults/*.test.ts`, a file per transport) and the Effect 4 suite (`src/effect4/test/faultTable.test.ts`)
 * run every row against the same local server, each through its own entry, and judge the
 * result with {@link judge}. No Effect and no vitest import: both majors' runners load it.
 */
import * as Fault from "../../src/localServer/Fault.ts"

/** Which endpoint a request named, as the local server records it. */
export type Endpoint = "trigger" | "runs" | "upload" | "other"

/** A fault to inject before the call. */
export interface Injection {
  readonly fault: Fault.Fault
  readonly times?: number
  readonly endpoint?: Endpoint
}

/** What the row's faults may depend on: the other server's URL (for redirects), the time. */
export interface Context {
  readonly elsewhere: string
  readonly now: number
}

/** A duration as text both majors' `Duration` inputs accept. */
export type DurationText = `${number} millis` | `${number} second` | `${number} seconds`

/** The client options a row sets. */
export interface RowOptions {
  readonly timeout?: DurationText
  readonly deadline?: DurationText
  readonly retries?: number
  readonly maxRetryDelay?: DurationText
}

/** What must follow. Every field given is checked; absent fields are not. */
export interface Expected {
  /** `Success`, or the error's tag. */
  readonly outcome: string
  /** Fields of the error, each equal (as JSON) to the given value. */
  readonly fields?: Readonly<Record<string, unknown>>
  /** Fields of the error (or `message`) that must contain the given text. */
  readonly contains?: Readonly<Record<string, string | ((context: Context) => string)>>
  /** Fields of the error no longer than the given length. */
  readonly maxLength?: Readonly<Record<string, number>>
  /** The endpoints the server saw, in order. */
  readonly endpoints?: ReadonlyArray<Endpoint>
  /** How many requests the server saw. */
  readonly requests?: number
  /** Fewer requests than this. */
  readonly fewerRequestsThan?: number
  /** A trigger, then only lookups (at least one), then one more trigger. */
  readonly lookupsThenResend?: true
  /** How many trigger requests the server saw. */
  readonly triggers?: number
  /** How many runs the server created. */
  readonly runs?: number
  /** The call returned the run the server created. */
  readonly jobIsRun?: true
  /** Requests seen by the other server (the target of a redirect). */
  readonly elsewhereRequests?: number
}

/** One row: a trigger of PR details against `target` after `faults`. */
export interface FaultRow {
  readonly name: string
  /** `server` (default), a `closed` port, or an `unresolvable` host. */
  readonly target?: "server" | "closed" | "unresolvable"
  readonly faults?: (context: Context) => ReadonlyArray<Injection>
  readonly options?: RowOptions
  readonly expected: Expected
  /** The row's own time limit, for rows that wait on purpose. */
  readonly timeoutMillis?: number
}

/** An unresolvable host (RFC 6761 reserves `.invalid`). */
export const UNRESOLVABLE_HOST = "https://datafold-ci-test.invalid"

const once = (fault: Fault.Fault, more: Omit<Injection, "fault"> = {}) => () => [{ fault, ...more }]

const problem = (status: number, title: string, detail: string) =>
  Fault.respond(status, JSON.stringify({ type: "about:blank", title, status, detail }), {
    "content-type": "application/problem+json"
  })

/** Every row. */
export const faultTable: ReadonlyArray<FaultRow> = [
  {
    name: "connection refused: DatafoldNetworkError after every retry",
    target: "closed",
    options: { retries: 2 },
    expected: { outcome: "DatafoldNetworkError", fields: { reason: "ConnectionRefused" }, requests: 0 }
  },
  {
    name: "an unresolvable host (.invalid): DatafoldNetworkError HostNotFound naming the host",
    target: "unresolvable",
    options: { retries: 3 },
    expected: {
      outcome: "DatafoldNetworkError",
      fields: { reason: "HostNotFound" },
      contains: { message: "datafold-ci-test.invalid" }
    }
  },
  {
    name: "reset before any answer: looks for a run, finds none, triggers again; one run",
    faults: once(Fault.dropConnection()),
    options: { timeout: "1 second" },
    expected: { outcome: "Success", lookupsThenResend: true, runs: 1, jobIsRun: true }
  },
  {
    name: "reset mid-body after the run was created: returns that run; one run",
    faults: once(Fault.resetMidBody()),
    expected: { outcome: "Success", endpoints: ["trigger", "runs"], runs: 1, jobIsRun: true }
  },
  {
    name: "the run is created and the answer lost: exactly one run, and the caller gets its id",
    faults: once(Fault.loseAnswer()),
    expected: { outcome: "Success", endpoints: ["trigger", "runs"], runs: 1, jobIsRun: true }
  },
  {
    name: "a hang: DatafoldNetworkError Timeout naming the limit",
    // The attempt's limit sits well under the hang but far above a loaded machine's time to
    // deliver the request, so the server has always seen it when the attempt gives up.
    faults: once(Fault.slow(3_000)),
    options: { timeout: "800 millis", retries: 0 },
    expected: {
      outcome: "DatafoldNetworkError",
      fields: { reason: "Timeout" },
      contains: { detail: "800ms" },
      requests: 1
    }
  },
  {
    name: "the overall deadline bounds all attempts together",
    faults: () => [
      { fault: Fault.slow(3_000), times: 10, endpoint: "trigger" },
      { fault: Fault.slow(3_000), times: 10, endpoint: "runs" }
    ],
    options: { timeout: "100 millis", deadline: "400 millis", retries: 10 },
    expected: {
      outcome: "DatafoldNetworkError",
      fields: { reason: "Timeout" },
      contains: { detail: "deadline" },
      fewerRequestsThan: 10
    }
  },
  {
    name: "a Retry-After longer than the deadline is cut to the deadline",
    // The deadline leaves the first attempt two seconds to come back with its 429, however
    // loaded the machine; the Retry-After (20 s) is still ten times the deadline.
    faults: once(Fault.rateLimited(20), { times: 5 }),
    options: { deadline: "2 seconds", maxRetryDelay: "60 seconds", retries: 3 },
    expected: {
      outcome: "DatafoldNetworkError",
      fields: { reason: "Timeout" },
      contains: { detail: "deadline" },
      requests: 1
    },
    timeoutMillis: 10_000
  },
  {
    name: "a retry that would start with less than the minimum attempt time left is not sent",
    // After the capped wait (1.9 s) at most 100 ms of the deadline are left, below the
    // minimum attempt time (250 ms) however quick the first attempt; and the first attempt
    // has two seconds to come back, however loaded the machine.
    faults: once(Fault.rateLimited(20), { times: 5 }),
    options: { deadline: "2 seconds", maxRetryDelay: "1900 millis", retries: 3 },
    expected: {
      outcome: "DatafoldNetworkError",
      fields: { reason: "Timeout" },
      contains: { detail: "deadline" },
      requests: 1
    },
    timeoutMillis: 10_000
  },
  {
    name: "429 with Retry-After in seconds: waits (capped), then succeeds",
    faults: once(Fault.rateLimited(5)),
    options: { maxRetryDelay: "300 millis" },
    expected: { outcome: "Success", endpoints: ["trigger", "trigger"], runs: 1, jobIsRun: true },
    timeoutMillis: 10_000
  },
  {
    name: "429 with Retry-After as an HTTP date: waits (capped), then succeeds",
    faults: ({ now }) => [{ fault: Fault.rateLimited(new Date(now + 60_000)) }],
    options: { maxRetryDelay: "300 millis" },
    expected: { outcome: "Success", endpoints: ["trigger", "trigger"], runs: 1 }
  },
  {
    name: "429 for longer than the retries allow: DatafoldRateLimitError",
    faults: once(Fault.rateLimited(1), { times: 3 }),
    options: { retries: 2, maxRetryDelay: "5 millis" },
    expected: { outcome: "DatafoldRateLimitError", fields: { retryAfterMillis: 1000 }, requests: 3, runs: 0 }
  },
  {
    name: "500: DatafoldServerError, not retried",
    faults: once(Fault.serverError(500)),
    expected: { outcome: "DatafoldServerError", fields: { status: 500 }, requests: 1, runs: 0 }
  },
  ...([502, 504] as const).map((status): FaultRow => ({
    name: `${status} then success: looks for the run first (the gateway may have lost it); one run`,
    faults: once(Fault.serverError(status)),
    options: { timeout: "1 second" },
    expected: { outcome: "Success", lookupsThenResend: true, runs: 1, jobIsRun: true }
  })),
  {
    name: "503 then success: retried straight away (nothing was processed); one run",
    faults: once(Fault.serverError(503)),
    expected: { outcome: "Success", endpoints: ["trigger", "trigger"], runs: 1 }
  },
  {
    name: "an HTML error page from a proxy: DatafoldServerError with a short excerpt",
    faults: once(Fault.serverError(502)),
    options: { retries: 0 },
    expected: {
      outcome: "DatafoldServerError",
      fields: { status: 502 },
      contains: { detail: "502 Bad Gateway" },
      maxLength: { detail: 201 }
    }
  },
  {
    name: "401 with a string detail: DatafoldAuthError, not retried",
    faults: once(Fault.unauthorized()),
    expected: {
      outcome: "DatafoldAuthError",
      fields: { status: 401, detail: "Not authenticated" },
      requests: 1,
      runs: 0
    }
  },
  {
    name: "403: DatafoldAuthError, not retried",
    faults: once(Fault.forbidden()),
    expected: { outcome: "DatafoldAuthError", fields: { status: 403 }, requests: 1, runs: 0 }
  },
  {
    name: "404: DatafoldNotFoundError naming the CI config id as the likely cause",
    faults: once(Fault.notFound()),
    expected: {
      outcome: "DatafoldNotFoundError",
      fields: { detail: "Not Found" },
      contains: { message: "CI config id" },
      requests: 1
    }
  },
  {
    name: "422 with FastAPI items: DatafoldValidationError with the items",
    faults: once(Fault.validation()),
    expected: {
      outcome: "DatafoldValidationError",
      fields: { detail: [{ loc: ["body", "pr_sha"], msg: "Field required", type: "missing" }] },
      contains: { message: "body.pr_sha: Field required" },
      requests: 1,
      runs: 0
    }
  },
  {
    name: "409: DatafoldRejectedError with the server's words",
    faults: once(Fault.respond(409, JSON.stringify({ detail: "A run for this SHA exists" }), {
      "content-type": "application/json"
    })),
    expected: {
      outcome: "DatafoldRejectedError",
      fields: { status: 409, detail: "A run for this SHA exists" },
      requests: 1
    }
  },
  {
    name: "problem+json 401: DatafoldAuthError with the problem's words",
    faults: once(problem(401, "Unauthorized", "API key expired")),
    expected: { outcome: "DatafoldAuthError", fields: { detail: "Unauthorized: API key expired" }, requests: 1 }
  },
  {
    name: "problem+json 422: DatafoldValidationError keeping the problem's words",
    faults: once(problem(422, "Unprocessable", "pr_sha unknown")),
    expected: {
      outcome: "DatafoldValidationError",
      fields: { detail: [], rawMessage: "Unprocessable: pr_sha unknown" },
      requests: 1,
      runs: 0
    }
  },
  ...([
    ["malformed JSON", Fault.malformedBody(), "the body is not JSON"],
    ["wrong types", Fault.respond(200, JSON.stringify({ ci_run_id: "12", run_id: 3 })), "documented shape"],
    ["an empty body", Fault.respond(200, ""), "the body is empty"],
    ["a body over the cap (declared)", Fault.respond(200, "x".repeat(1024 * 1024 + 1)), "larger than"],
    [
      "a body over the cap (chunked)",
      Fault.respond(200, "y".repeat(2 * 1024 * 1024), { "transfer-encoding": "chunked" }),
      "larger than"
    ]
  ] as const).map(([name, fault, text]): FaultRow => ({
    name: `${name}: DatafoldResponseError, not retried`,
    faults: once(fault),
    expected: { outcome: "DatafoldResponseError", fields: { status: 200 }, contains: { problem: text }, requests: 1 }
  })),
  {
    name: "a 3xx to another origin: DatafoldResponseError naming the Location; nothing reaches the other origin",
    faults: ({ elsewhere }) => [{ fault: Fault.redirect(`${elsewhere}/api/v1/ci/7/trigger`) }],
    expected: {
      outcome: "DatafoldResponseError",
      fields: { status: 307 },
      contains: { problem: ({ elsewhere }) => elsewhere },
      requests: 1,
      elsewhereRequests: 0
    }
  },
  {
    name: "the create finishes after the attempt timed out: the client finds the run, sends once, one run",
    faults: once(Fault.slow(2_500)),
    options: { timeout: "1 second", deadline: "30 seconds" },
    expected: { outcome: "Success", triggers: 1, runs: 1, jobIsRun: true },
    timeoutMillis: 20_000
  }
]

/** What a runner saw: the outcome, and what the servers recorded. */
export interface Observed {
  /** `Success`, or the error's tag. */
  readonly outcome: string
  /** The error as plain data (its fields), with its `message`; the job on success. */
  readonly value: Readonly<Record<string, unknown>>
  readonly endpoints: ReadonlyArray<string>
  readonly runIds: ReadonlyArray<number>
  readonly elsewhereRequests: number
}

const same = (left: unknown, right: unknown) => JSON.stringify(left) === JSON.stringify(right)

/** Every way `observed` departs from the row's expectations; empty when it meets them all. */
export const judge = (row: FaultRow, observed: Observed, context: Context): Array<string> => {
  const { expected } = row
  const problems: Array<string> = []
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what)
  }
  check(observed.outcome === expected.outcome, `outcome ${observed.outcome}, expected ${expected.outcome}`)
  for (const [field, value] of Object.entries(expected.fields ?? {})) {
    check(
      same(observed.value[field], value),
      `${field} ${JSON.stringify(observed.value[field])}, expected ${JSON.stringify(value)}`
    )
  }
  for (const [field, text] of Object.entries(expected.contains ?? {})) {
    const wanted = typeof text === "function" ? text(context) : text
    check(
      String(observed.value[field]).includes(wanted),
      `${field} ${JSON.stringify(observed.value[field])} lacks ${JSON.stringify(wanted)}`
    )
  }
  for (const [field, length] of Object.entries(expected.maxLength ?? {})) {
    check(String(observed.value[field]).length <= length, `${field} longer than ${length}`)
  }
  const seen = observed.endpoints
  if (expected.endpoints !== undefined) check(same(seen, expected.endpoints), `endpoints ${seen.join(",")}`)
  if (expected.requests !== undefined) {
    check(seen.length === expected.requests, `${seen.length} requests, expected ${expected.requests}`)
  }
  if (expected.fewerRequestsThan !== undefined) {
    check(
      seen.length < expected.fewerRequestsThan,
      `${seen.length} requests, expected fewer than ${expected.fewerRequestsThan}`
    )
  }
  if (expected.lookupsThenResend === true) {
    const middle = seen.slice(1, -1)
    check(
      seen[0] === "trigger" && seen.at(-1) === "trigger" && middle.length > 0 && middle.every((e) => e === "runs"),
      `endpoints ${seen.join(",")}, expected a trigger, lookups, a trigger`
    )
  }
  if (expected.triggers !== undefined) {
    const triggers = seen.filter((endpoint) => endpoint === "trigger").length
    check(triggers === expected.triggers, `${triggers} triggers, expected ${expected.triggers}`)
  }
  if (expected.runs !== undefined) {
    check(observed.runIds.length === expected.runs, `${observed.runIds.length} runs, expected ${expected.runs}`)
  }
  if (expected.jobIsRun === true) {
    check(
      observed.value["ci_run_id"] === observed.runIds[0],
      `ci_run_id ${observed.value["ci_run_id"]}, run ${observed.runIds[0]}`
    )
  }
  if (expected.elsewhereRequests !== undefined) {
    check(observed.elsewhereRequests === expected.elsewhereRequests, `${observed.elsewhereRequests} requests elsewhere`)
  }
  return problems
}

/** The PR details every row triggers. */
export const rowDetails = {
  pr_number: 42,
  pr_branch: "feature/orders-rollup",
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
} as const
