/**
 * Which commits a client may still have a trigger in flight for: one being sent now,
 * or one whose answer was lost recently enough that Datafold may still be creating its
 * run. Keyed by CI config, PR number and head SHA.
 */

interface Entry {
  /** Attempts being sent right now. */
  sending: number
  /** Until when (epoch ms) an attempt whose answer was lost may still create a run. */
  until: number
}

/** The in-flight registry of one client. */
export class InFlight {
  private readonly entries = new Map<string, Entry>()

  /** An attempt for `key` is about to be sent. */
  begin(key: string): void {
    const entry = this.entries.get(key)
    if (entry === undefined) this.entries.set(key, { sending: 1, until: 0 })
    else entry.sending += 1
  }

  /**
   * An attempt for `key` has ended. When its answer was lost, Datafold may still be
   * creating the run until `until`; otherwise pass `undefined`.
   */
  end(key: string, until: number | undefined): void {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    entry.sending -= 1
    if (until !== undefined) entry.until = Math.max(entry.until, until)
    if (entry.sending === 0 && entry.until === 0) this.entries.delete(key)
  }

  /** Whether an attempt for `key` may still be in flight at `now`. */
  mayBeInFlight(key: string, now: number): boolean {
    const entry = this.entries.get(key)
    if (entry === undefined) return false
    if (entry.sending > 0 || now < entry.until) return true
    this.entries.delete(key)
    return false
  }
}
