/**
 * GitHub Actions, on `pull_request` events: the PR facts are in the event file.
 *
 * @module
 */
import { type Candidate, type CiSystem, envVar, exampleCommand, isOn, read } from "./CiSystem.ts"

/** Follows a property path through parsed JSON; `undefined` (and JSON `null`) when any step is missing. */
export const at = (json: unknown, path: ReadonlyArray<string>): unknown => {
  let current = json
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current === null ? undefined : current
}

/** GitHub Actions. */
export const githubActions: CiSystem = {
  name: "github-actions",
  label: "GitHub Actions",
  detect: (env) => isOn(env, "GITHUB_ACTIONS"),
  readsGithubEvent: true,
  candidates: (env, { githubEvent: event }) => {
    const eventName = read(env, "GITHUB_EVENT_NAME")
    const fromEvent = (path: ReadonlyArray<string>): Candidate => {
      const source = `GitHub event file .${path.join(".")}`
      if (event === undefined) return { source, value: undefined, absent: "GITHUB_EVENT_PATH not set" }
      if (at(event.json, ["pull_request"]) === undefined) {
        const which = eventName === undefined ? "" : ` (GITHUB_EVENT_NAME=${eventName})`
        return { source, value: undefined, absent: `the event has no pull_request${which}` }
      }
      return { source, value: at(event.json, path) }
    }
    return {
      prNumber: [fromEvent(["pull_request", "number"])],
      prBranch: [envVar(env, "GITHUB_HEAD_REF"), fromEvent(["pull_request", "head", "ref"])],
      baseBranch: [envVar(env, "GITHUB_BASE_REF"), fromEvent(["pull_request", "base", "ref"])],
      prSha: [
        fromEvent(["pull_request", "head", "sha"]),
        // GITHUB_SHA on pull_request events is a merge commit that exists only on the runner;
        // Datafold cannot link it to the PR, so it is never used.
        ...(read(env, "GITHUB_SHA") === undefined
          ? []
          : [{ note: "env GITHUB_SHA (not used: on pull_request events it is a temporary merge commit)" }])
      ],
      baseSha: [fromEvent(["pull_request", "base", "sha"])]
    }
  },
  example: `- run: ${exampleCommand}`,
  notes: [
    "Run on pull_request events. The PR head SHA is read from the event file, never GITHUB_SHA (a merge commit Datafold cannot link to the PR)."
  ]
}
