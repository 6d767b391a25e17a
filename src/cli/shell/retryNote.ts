/**
 * The line a retry prints as it happens ("503 from Datafold, retry 2 of 3 in 4 s"), read
 * from the library's debug log of each retry: its annotations carry the retry's number,
 * the retry count, the failure and the wait.
 *
 * @module
 */

/** What the library's retry log carries. */
export interface RetryFacts {
  readonly retry: number
  readonly retries: number | undefined
  /** `retryReason`'s words: `DatafoldServerError(503)`, `DatafoldNetworkError(ConnectionRefused)`. */
  readonly reason: string
  readonly waitMillis: number
}

const networkWords: { readonly [reason: string]: string } = {
  ConnectionRefused: "connection refused by Datafold",
  ConnectionReset: "connection to Datafold reset",
  HostNotFound: "Datafold's host not found",
  Timeout: "no answer from Datafold in time",
  Tls: "TLS failure talking to Datafold"
}

/** The retry in plain words, without the program's prefix. */
export const retryNote = (facts: RetryFacts): string => {
  const inner = /\((\w+)\)$/.exec(facts.reason)?.[1]
  const what = inner !== undefined && /^\d{3}$/.test(inner)
    ? `${inner} from Datafold`
    : inner !== undefined
    ? networkWords[inner] ?? `${inner} talking to Datafold`
    : facts.reason.replace(/^Datafold/, "").replace(/Error$/, "") + " from Datafold"
  const seconds = facts.waitMillis / 1000
  const wait = seconds >= 10 ? Math.round(seconds) : Math.round(seconds * 10) / 10
  const of = facts.retries === undefined ? "" : ` of ${facts.retries}`
  return `${what}, retry ${facts.retry}${of} in ${wait} s`
}
