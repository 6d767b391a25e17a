/**
 * What waiting for a CI run takes (Effect 4): which run, how long, how often to look,
 * and what it reports as it goes. The wait itself is `DatafoldClient.waitForRun`.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type { CiRun } from "./CiRun.ts"
import type { DatafoldError } from "./DatafoldError.ts"

/**
 * The run to wait for: the newest run of a commit (`prSha`: what an artifacts upload
 * starts), or a known run (`ciRunId`: what a trigger answered), whose listing
 * `prSha` and `prNumber` narrow.
 *
 * @since 0.2.0
 * @category models
 */
export type RunTarget =
  | { readonly prSha: string; readonly prNumber?: number | undefined }
  | { readonly ciRunId: number; readonly prSha?: string | undefined; readonly prNumber?: number | undefined }

/**
 * Where a wait stands, after each look at the runs listing. `skipped` counts the listed
 * runs that were not the wait's own (another commit, PR or run id: a server that ignored
 * the filter); they are never followed. A look whose listing failed in a way that may
 * pass is `LookFailed`: the wait looks again, up to its deadline.
 *
 * @since 0.2.0
 * @category models
 */
export type WaitProgress =
  | {
    readonly _tag: "NotYetListed"
    readonly elapsedMillis: number
    readonly polls: number
    /** How many listed runs were not ours. */
    readonly skipped: number
  }
  | {
    readonly _tag: "Listed"
    readonly run: CiRun
    readonly elapsedMillis: number
    readonly polls: number
    /** Whether the status differs from the previous look's (always true the first time). */
    readonly changed: boolean
    /** How many listed runs were not ours. */
    readonly skipped: number
  }
  | {
    readonly _tag: "LookFailed"
    readonly error: DatafoldError
    readonly elapsedMillis: number
    readonly polls: number
  }

/**
 * How to wait. Looks are spaced from `pollEvery`, each wait half as long again, up to
 * `maxPollEvery`; one runs listing call per look.
 *
 * @since 0.2.0
 * @category models
 */
export interface WaitForRunOptions {
  /** The longest the wait lasts; default 60 minutes. */
  readonly timeout?: Duration.Input | undefined
  /** How long a run may take to appear in the listing; default 60 seconds (capped by `timeout`). */
  readonly appearWithin?: Duration.Input | undefined
  /** The first wait between looks; default 2 seconds. */
  readonly pollEvery?: Duration.Input | undefined
  /** The longest wait between looks; default 15 seconds. */
  readonly maxPollEvery?: Duration.Input | undefined
  /** Called after each look. */
  readonly onProgress?: ((progress: WaitProgress) => Effect.Effect<void>) | undefined
}
