/**
 * The command line parser, in-process: which commands and options it accepts, and how it
 * refuses the rest without echoing anything that could be a secret.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { parseCliArgs, wantsJson } from "../../src/cli/args/CliArgs.ts"

const problemOf = (argv: ReadonlyArray<string>): string => {
  const parsed = parseCliArgs(argv)
  if (Either.isRight(parsed)) throw new Error(`expected a usage error for ${argv.join(" ")}`)
  return parsed.left.problem
}

describe("parseCliArgs", () => {
  it("reads every trigger option; --pr-number is an alias of --pr-num", () => {
    const parsed = parseCliArgs([
      "trigger",
      "--ci-config-id",
      "7",
      "--pr-number",
      "45",
      "--pr-branch=feature",
      "--base-branch",
      "main",
      "--pr-sha",
      "a",
      "--base-sha",
      "b",
      "--host",
      "https://x.example",
      "--timeout",
      "2.5",
      "--retries",
      "0",
      "--dry-run",
      "--json"
    ])
    expect(parsed).toEqual(Either.right({
      _tag: "Trigger",
      args: {
        ciConfigId: "7",
        prNumber: "45",
        prBranch: "feature",
        baseBranch: "main",
        prSha: "a",
        baseSha: "b",
        host: "https://x.example",
        timeout: "2.5",
        retries: "0",
        dryRun: true,
        json: true
      }
    }))
  })

  it("leaves out what is not given", () => {
    const parsed = parseCliArgs(["trigger"])
    expect(Either.getOrThrow(parsed)).toMatchObject({
      _tag: "Trigger",
      args: { prSha: undefined, dryRun: false, json: false }
    })
  })

  it("knows help, version and no command", () => {
    expect(parseCliArgs(["--help"])).toEqual(Either.right({ _tag: "Help" }))
    expect(parseCliArgs(["-h"])).toEqual(Either.right({ _tag: "Help" }))
    expect(parseCliArgs(["help"])).toEqual(Either.right({ _tag: "Help" }))
    expect(parseCliArgs(["trigger", "--bogus", "--help"])).toEqual(Either.right({ _tag: "Help", command: "trigger" }))
    expect(parseCliArgs(["submit", "--help"])).toEqual(Either.right({ _tag: "Help", command: "submit" }))
    expect(parseCliArgs(["help", "runs"])).toEqual(Either.right({ _tag: "Help", command: "runs" }))
    expect(parseCliArgs(["--version"])).toEqual(Either.right({ _tag: "Version" }))
    expect(parseCliArgs([])).toEqual(Either.right({ _tag: "Usage" }))
  })

  it("refuses every spelling of a key flag, before anything else, without echoing the value", () => {
    for (
      const argv of [["trigger", "--api-key", "s3cr3t"], ["trigger", "--api-key=s3cr3t"], [
        "--apikey",
        "s3cr3t",
        "--help"
      ]]
    ) {
      const problem = problemOf(argv)
      expect(problem).toContain("is not accepted")
      expect(problem).toContain("DATAFOLD_API_KEY")
      expect(problem).not.toContain("s3cr3t")
    }
  })

  it("refuses unknown commands and options, missing values and stray arguments", () => {
    expect(problemOf(["deploy"])).toBe(
      'Unknown command "deploy"; the commands are `trigger`, `submit`, `runs`, `results`, `dbt`, `diff`, `serve`, `doctor`.'
    )
    expect(problemOf(["runs", "--diffs", "x"])).toContain("--diffs is not an option of `runs`")
    expect(problemOf(["trigger", "--token=abc"])).toBe("Unknown option --token.")
    expect(problemOf(["trigger", "-x"])).toBe("Unknown option -x.")
    expect(problemOf(["trigger", "--pr-numb", "4"])).toBe("Unknown option --pr-numb: did you mean --pr-num?")
    expect(problemOf(["dbt", "upload", "--comit-sha", "4"])).toBe(
      "Unknown option --comit-sha: did you mean --commit-sha?"
    )
    expect(problemOf(["runs", "--pr-branch", "x"])).toBe("--pr-branch is not an option of `runs`.")
    expect(problemOf(["trigger", "--pr-branch", "--json"])).toContain(
      "--pr-branch needs a value, but the next argument is an option"
    )
    expect(problemOf(["trigger", "--json=yes"])).toBe("--json takes no value.")
    expect(problemOf(["trigger", "--pr-num", "1", "--pr-number", "2"])).toContain("given twice with different values")
    expect(problemOf(["trigger", "45"])).toContain('Unexpected "45" after `trigger`')
    // Long or odd arguments are not quoted back: they may be a pasted secret.
    expect(problemOf(["trigger", "dfk_0123456789abcdef0123456789abcdef"])).toContain("Unexpected an argument")
  })

  it("an empty value reads as left out, however it is spelled, and is listed to warn about", () => {
    for (
      const argv of [
        ["--run-type", "production", "--commit-sha"],
        ["--commit-sha", "", "--run-type", "production"],
        ["--commit-sha=", "--run-type", "production"],
        ["--commit-sha", "  ", "--run-type", "production"]
      ]
    ) {
      const parsed = Either.getOrThrow(parseCliArgs(["dbt", "upload", ...argv]))
      expect(parsed).toMatchObject({ _tag: "Dbt", args: { emptyValues: ["--commit-sha"] } })
      expect(parsed._tag === "Dbt" ? parsed.args.commitSha : "not dbt").toBeUndefined()
    }
  })

  it("the SDK's `ci` group word is dropped before trigger, submit and runs, --help included", () => {
    expect(Either.getOrThrow(parseCliArgs(["ci", "submit", "--pr-num", "4"]))).toMatchObject({
      _tag: "Submit",
      args: { prNumber: "4" }
    })
    expect(Either.getOrThrow(parseCliArgs(["ci", "trigger"]))).toMatchObject({ _tag: "Trigger" })
    expect(Either.getOrThrow(parseCliArgs(["ci", "submit", "--help"]))).toEqual({ _tag: "Help", command: "submit" })
    expect(problemOf(["ci"])).toContain('Unknown command "ci"')
  })

  it("a value starting with - is accepted in the --flag=value form", () => {
    expect(Either.getOrThrow(parseCliArgs(["trigger", "--pr-branch=-odd"]))).toMatchObject({
      args: { prBranch: "-odd" }
    })
  })
})

describe("wantsJson", () => {
  it("sees --json even when the rest cannot be parsed, but not after --", () => {
    expect(wantsJson(["trigger", "--bogus", "--json"])).toBe(true)
    expect(wantsJson(["trigger", "--", "--json"])).toBe(false)
    expect(wantsJson(["trigger"])).toBe(false)
  })
})
