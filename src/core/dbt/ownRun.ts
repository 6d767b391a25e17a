/**
 * Which listed runs are the wait's own. A runs listing is asked for one commit (and PR),
 * but a server, a proxy or a future API version may ignore the filter or list other
 * commits' runs beside ours: the wait judges every listed run itself and follows only
 * its own, so another commit's `done` or `failed` never decides a build.
 *
 * @since 0.2.0
 */

/**
 * What makes a run the wait's own: the commit uploaded or triggered (lower case), the
 * run's id when a trigger or submit answered one, and the PR number when known.
 *
 * @since 0.2.0
 * @category models
 */
export interface OwnRunTarget {
  readonly prSha: string | undefined
  readonly ciRunId: number | undefined
  readonly prNumber: number | undefined
}

/**
 * The listed fields the rule reads.
 *
 * @since 0.2.0
 * @category models
 */
export interface ListedRun {
  readonly id: number
  readonly pr_sha: string
  readonly pr_num: string
}

/**
 * Whether a listed run is ours: every fact we know must match (the id, the commit,
 * case-insensitively, and the PR number, which the wire spells as a string).
 *
 * @since 0.2.0
 * @category rules
 */
export const isOwnRun = (target: OwnRunTarget, run: ListedRun): boolean =>
  (target.ciRunId === undefined || run.id === target.ciRunId) &&
  (target.prSha === undefined || run.pr_sha.toLowerCase() === target.prSha.toLowerCase()) &&
  (target.prNumber === undefined || run.pr_num.trim() === String(target.prNumber))

/**
 * One look's verdict: the run to follow (the one asked for by id, else the newest of
 * ours), and how many listed runs were not ours.
 *
 * @since 0.2.0
 * @category models
 */
export interface OwnRunPick<R> {
  readonly run: R | undefined
  readonly skipped: number
}

/**
 * Picks the wait's run from a listing, ignoring (and counting) every run that is not ours.
 *
 * @since 0.2.0
 * @category rules
 */
export const pickOwnRun = <R extends ListedRun>(target: OwnRunTarget, runs: ReadonlyArray<R>): OwnRunPick<R> => {
  let run: R | undefined
  let skipped = 0
  for (const listed of runs) {
    if (!isOwnRun(target, listed)) skipped++
    else if (run === undefined || listed.id > run.id) run = listed
  }
  return { run, skipped }
}
