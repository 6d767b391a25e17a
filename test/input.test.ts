/**
 * Careless inputs: every field refused in the client's own words, and branch names
 * checked by git's rules (`git check-ref-format --branch`), the same rule the CLI uses.
 * Nothing is sent for a refused input.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { execFileSync } from "node:child_process"
import { tmpdir } from "node:os"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { triggerCiRun } from "../src/index.ts"
import { branchNameProblem } from "../src/core/branchName.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details, fastClient } from "./support/fixtures.ts"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const refusal = (ciConfigId: unknown, input: unknown) =>
  Effect.flip(triggerCiRun(ciConfigId as number, input as typeof details).pipe(Effect.provide(fastClient(server))))

const { base_sha: _, ...withoutBaseSha } = details

describe("item 13: every field in the client's own words", () => {
  const cases: ReadonlyArray<[string, unknown, unknown, string]> = [
    ["pr_number as a string", 7, { ...details, pr_number: "12" }, "pr_number must be a whole number"],
    ["pr_number as a fraction", 7, { ...details, pr_number: 1.5 }, "pr_number must be a whole number"],
    ["pr_number as NaN", 7, { ...details, pr_number: Number.NaN }, "pr_number must be a whole number"],
    ["pr_number null", 7, { ...details, pr_number: null }, "pr_number must be a whole number"],
    ["pr_number zero", 7, { ...details, pr_number: 0 }, "pr_number must be a positive whole number"],
    ["base_sha absent", 7, withoutBaseSha, "base_sha is missing"],
    ["base_sha undefined", 7, { ...details, base_sha: undefined }, "base_sha is missing"],
    ["pr_sha a number", 7, { ...details, pr_sha: 123 }, "pr_sha must be a full commit SHA"],
    ["pr_branch a number", 7, { ...details, pr_branch: 5 }, "pr_branch must be a branch name"],
    ["ci_config_id as a string", "7", details, "ci_config_id must be a whole number"],
    ["details null", 7, null, "pr_number is missing; pr_branch is missing"]
  ]
  for (const [name, id, input, expected] of cases) {
    it.live(`${name}: "${expected}"`, () =>
      Effect.gen(function* () {
        const error = yield* refusal(id, input)
        expect(error._tag).toBe("DatafoldInputError")
        expect(error.message).toContain(expected)
        expect(error.message).not.toMatch(/Expected|actual/)
        expect(server.requests()).toHaveLength(0)
      }))
  }
})

describe("item 14: branch names by git's rules", () => {
  const refused = [
    "my branch",
    " main",
    "main ",
    "tab\tbranch",
    "bell\u0007",
    "a..b",
    "tilde~1",
    "caret^",
    "colon:x",
    "what?",
    "star*",
    "open[",
    "back\\slash",
    "ends.lock",
    "dir/x.lock/y",
    "trailing/",
    "/leading",
    "double//slash",
    "ends.",
    ".hidden",
    "dir/.hidden",
    "at@{brace",

    "-dash"
  ]
  const accepted = [
    "main",
    "feature/orders-rollup",
    "release-1.2",
    "user/JIRA-123_fix",
    "ünïcode",
    "a.b",
    "@at",
    "x@y",
    "@"
  ]

  it("the shared rule agrees with git check-ref-format --branch", () => {
    // What `git branch <name>` accepts: a valid ref under refs/heads/ that --branch also allows.
    const gitAccepts = (name: string): boolean => {
      try {
        for (const args of [["--branch", name], [`refs/heads/${name}`]]) {
          execFileSync("git", ["check-ref-format", ...args], { stdio: "ignore", cwd: tmpdir() })
        }
        return true
      } catch {
        return false
      }
    }
    for (const name of refused) {
      expect(branchNameProblem(name), name).toBeDefined()
      expect(gitAccepts(name), name).toBe(false)
    }
    for (const name of accepted) {
      expect(branchNameProblem(name), name).toBeUndefined()
      expect(gitAccepts(name), name).toBe(true)
    }
  }, 30_000)

  it(
    "names of letters, digits, _ and - in slash-joined parts (taken without the full check) are names git takes",
    () => {
      const plainNames = fc.sample(
        fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,6}(?:\/[A-Za-z0-9_-]{1,6}){0,3}$/),
        60
      )
      for (const name of ["main", "feature/x-1", "a/-b", "_", ...plainNames]) {
        expect(branchNameProblem(name), name).toBeUndefined()
        expect(
          () => execFileSync("git", ["check-ref-format", "--branch", name], { stdio: "ignore", cwd: tmpdir() }),
          name
        ).not
          .toThrow()
      }
    },
    30_000
  )

  for (const name of refused) {
    it.live(`pr_branch ${JSON.stringify(name)} is refused before sending`, () =>
      Effect.gen(function* () {
        const error = yield* refusal(7, { ...details, pr_branch: name })
        expect(error._tag).toBe("DatafoldInputError")
        expect(error.message).toContain("pr_branch must")
        expect(server.requests()).toHaveLength(0)
      }))
  }
})
