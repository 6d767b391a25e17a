/**
 * Runs rows of the shared fault table (`faultTable.ts`) against the local server over
 * real loopback HTTP, through whichever entry the caller passes in: the servers, the
 * faults and the judging are the same for both Effect majors; only `call` differs.
 */
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { type Context, type DurationText, type FaultRow, judge, rowDetails, UNRESOLVABLE_HOST } from "./faultTable.ts"

/** The API key the servers accept and the clients send. */
export const HARNESS_API_KEY = "dfk_fault_table_0123456789abcdef"

/** Options a row's client gets: retries that wait milliseconds, then the row's own. */
export interface CallOptions {
  readonly apiKey: string
  readonly host: string
  readonly timeout: DurationText
  readonly retryBase: DurationText
  readonly maxRetryDelay: DurationText
  readonly deadline?: DurationText
  readonly retries?: number
}

/** One trigger through an entry: `Success` with the job, or the error's tag with its fields and message. */
export type Call = (
  options: CallOptions,
  details: typeof rowDetails
) => Promise<{ readonly outcome: string; readonly value: Readonly<Record<string, unknown>> }>

/** The servers a suite runs its rows against; start once, close after. */
export interface Harness {
  /** Every way the row's outcome departs from the table; empty when it meets it. */
  readonly run: (row: FaultRow, call: Call) => Promise<Array<string>>
  readonly close: () => Promise<void>
}

/** Start the servers: the target, another origin (for redirects), and a closed port. */
export const startHarness = async (): Promise<Harness> => {
  const server: LocalDatafoldServer = await startLocalDatafoldServer({ apiKey: HARNESS_API_KEY })
  const elsewhere: LocalDatafoldServer = await startLocalDatafoldServer({ apiKey: HARNESS_API_KEY })
  const closed = await startLocalDatafoldServer({ apiKey: HARNESS_API_KEY })
  await closed.close()
  return {
    run: async (row, call) => {
      server.reset()
      elsewhere.reset()
      const context: Context = { elsewhere: elsewhere.url, now: Date.now() }
      for (const { fault, ...options } of row.faults?.(context) ?? []) server.inject(fault, options)
      const host = row.target === "closed" ? closed.url : row.target === "unresolvable" ? UNRESOLVABLE_HOST : server.url
      const { outcome, value } = await call({
        apiKey: HARNESS_API_KEY,
        host,
        timeout: row.options?.timeout ?? "5 seconds",
        retryBase: "2 millis",
        maxRetryDelay: row.options?.maxRetryDelay ?? "50 millis",
        ...(row.options?.deadline === undefined ? {} : { deadline: row.options.deadline }),
        ...(row.options?.retries === undefined ? {} : { retries: row.options.retries })
      }, rowDetails)
      const target = row.target === "closed" ? closed : server
      return judge(row, {
        outcome,
        value,
        endpoints: target.requests().map((request) => request.endpoint),
        runIds: target.runs().map((run) => run.id),
        elsewhereRequests: elsewhere.requests().length
      }, context)
    },
    close: async () => {
      await server.close()
      await elsewhere.close()
    }
  }
}
