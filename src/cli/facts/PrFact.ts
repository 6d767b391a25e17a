/**
 * The five facts about a pull request that `datafold-ci trigger` sends to Datafold,
 * each carrying a human-readable note of where it came from.
 *
 * @module
 */
import { parsePositiveWhole } from "../args/wholeNumber.ts"

/** All fact names, in the order they are resolved and reported. */
export const prFactNames = ["prNumber", "prBranch", "baseBranch", "prSha", "baseSha"] as const

/** The name of one PR fact. */
export type PrFactName = typeof prFactNames[number]

/** A value together with a human-readable description of where it was found. */
export interface Sourced<A> {
  readonly value: A
  /** e.g. `"flag --pr-sha"`, `"env CI_MERGE_REQUEST_IID"`, `"git rev-parse HEAD"`. */
  readonly source: string
}

/** Builds a {@link Sourced} value. */
export const sourced = <A>(value: A, source: string): Sourced<A> => ({ value, source })

/** The plain value type of each fact. */
export interface PrFactValues {
  readonly prNumber: number
  readonly prBranch: string
  readonly baseBranch: string
  readonly prSha: string
  readonly baseSha: string
}

/** All five PR facts, each with its source. */
export type PrFacts = { readonly [K in PrFactName]: Sourced<PrFactValues[K]> }

/** Some of the PR facts, each with its source; a missing key means "not found here". */
export type PartialPrFacts = { readonly [K in PrFactName]?: Sourced<PrFactValues[K]> }

/** For each fact, every source that was consulted and came up empty (with the reason). */
export type SourcesTried = { readonly [K in PrFactName]: ReadonlyArray<string> }

/** The command-line flag that supplies each fact. */
export const prFactFlags = {
  prNumber: "--pr-num",
  prBranch: "--pr-branch",
  baseBranch: "--base-branch",
  prSha: "--pr-sha",
  baseSha: "--base-sha"
} as const satisfies { readonly [K in PrFactName]: string }

/** A command-line flag that supplies a PR fact. */
export type PrFactFlag = (typeof prFactFlags)[PrFactName]

/** Human-readable name of each fact, for messages. */
export const prFactLabels = {
  prNumber: "PR number",
  prBranch: "PR branch",
  baseBranch: "base branch",
  prSha: "PR head SHA",
  baseSha: "base SHA"
} as const satisfies { readonly [K in PrFactName]: string }

/** An empty {@link SourcesTried} record. */
export const noSourcesTried = (): { [K in PrFactName]: Array<string> } => ({
  prNumber: [],
  prBranch: [],
  baseBranch: [],
  prSha: [],
  baseSha: []
})

/**
 * Parses a PR number written as a decimal string (or given as a number).
 * Returns `undefined` for anything that is not a positive safe integer, so callers can
 * move on to the next source.
 */
export const parsePrNumber = (raw: string | number): number | undefined => parsePositiveWhole(raw)

/** Removes a `refs/heads/` prefix: branch names are sent to Datafold bare. */
export const stripHeadsPrefix = (branch: string): string =>
  branch.startsWith("refs/heads/") ? branch.slice("refs/heads/".length) : branch
