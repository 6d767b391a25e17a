/**
 * The README's install "before the first release", run as it is written there (the blocks
 * are read out of README.md, so the two cannot drift): a fresh clone, `npm ci`, the clone's
 * `npx datafold-ci`, `npm run package`; then a project beside the clone installing both
 * tarballs by the paths the README gives, and a pipeline's one line. The clone is of this
 * working tree as it is on disk (committed or not), standing in for the repository's URL;
 * npm reads its cache first (`prefer-offline`, from the environment, so the lines stay
 * word for word). Also what the README says does not work: an install from a git URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { Redacted } from "effect"
import { startLocalDatafoldServer } from "../../src/testing.ts"
import { VERSION } from "../../src/version.ts"
import { makeProject, type Outcome, repoBin, root, run, succeed, workspace } from "./support/project.ts"
import { markdownBlocks, markdownProgram } from "./support/readme.ts"

const [cloneSteps, projectSteps, pipelineStep] = markdownBlocks("README.md", "### Before the first release", "sh")
const readme = readFileSync(join(root, "README.md"), "utf8")
const npxTarball = /`(npx --yes \.\/datafold-ci-[\w.-]+\.tgz) trigger …`/.exec(readme)?.[1]

/** npm as the README's lines run it, but from the cache first and without the audit's network calls. */
const npmEnv = {
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false"
}
/** A clone's `npm ci` (all the devDependencies) and `npm run package` take minutes on a busy machine. */
const LONG = 900_000

/** Runs a README block as one bash script (stopping at its first failing line) in `cwd`. */
const runBlock = (block: string, cwd: string): Promise<Outcome> => run("bash", ["-e", "-c", block], cwd, npmEnv, LONG)

const space = workspace()
/** The stand-in for the repository's URL: a git repository holding this working tree. */
const origin = join(space.dir, "origin", "effect-datafold")
const clone = join(space.dir, "effect-datafold")
let cloneRun: Outcome
let project: string
let projectRun: Outcome

/** A repository at `origin` whose HEAD is this working tree: its tracked files, edited or not, and new unignored ones. */
const originOfWorkingTree = async (): Promise<void> => {
  mkdirSync(dirname(origin), { recursive: true })
  await succeed("git", ["clone", "-q", root, origin], space.dir)
  const listed = await succeed("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], root)
  for (const file of listed.split("\0").filter((file) => file !== "")) {
    if (existsSync(join(root, file))) {
      mkdirSync(dirname(join(origin, file)), { recursive: true })
      cpSync(join(root, file), join(origin, file))
    } else rmSync(join(origin, file), { force: true })
  }
  await succeed("git", ["add", "-A"], origin)
  await succeed(
    "git",
    [
      "-c",
      "user.name=consumer test",
      "-c",
      "user.email=consumer-test@example.invalid",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "working tree"
    ],
    origin
  )
}

beforeAll(async () => {
  await originOfWorkingTree()
  const url = /^git clone (\S+)$/m.exec(cloneSteps ?? "")?.[1]
  if (cloneSteps === undefined || url === undefined) {
    throw new Error("the README's first block does not git clone a URL")
  }
  cloneRun = await runBlock(cloneSteps.replace(url, origin), space.dir)
  project = makeProject(space.dir, "my-project")
  projectRun = cloneRun.code === 0 && projectSteps !== undefined
    ? await runBlock(projectSteps, project)
    : { code: -1, stdout: "", stderr: "not run: the clone's steps failed" }
}, 2 * LONG)

afterAll(() => space.remove())

describe("the README's install before the first release, line by line", () => {
  it("the README has the clone's steps, the project's, the pipeline's line and the npx alternative", () => {
    expect(cloneSteps).toMatch(/^npm ci$/m)
    expect(cloneSteps).toMatch(/^npm run package\b/m)
    expect(projectSteps).toContain(`datafold-ci-${VERSION}.tgz`)
    expect(projectSteps).toContain(`effect-datafold-${VERSION}.tgz`)
    expect(pipelineStep).toBe(`npm install --no-save ./datafold-ci-${VERSION}.tgz\n`)
    expect(npxTarball).toBe(`npx --yes ./datafold-ci-${VERSION}.tgz`)
  })

  it("in a fresh clone, npm ci then npx datafold-ci --version runs the CLI from its source, and npm run package packs both tarballs", () => {
    expect(cloneRun.code, cloneRun.stdout + cloneRun.stderr).toBe(0)
    expect(cloneRun.stdout).toMatch(new RegExp(`^${VERSION.replaceAll(".", "\\.")}$`, "m"))
    expect(existsSync(join(clone, "dist"))).toBe(false)
    expect(existsSync(join(clone, "artifacts", `effect-datafold-${VERSION}.tgz`))).toBe(true)
    expect(existsSync(join(clone, "artifacts", `datafold-ci-${VERSION}.tgz`))).toBe(true)
  })

  it("a project beside the clone installs both tarballs by the README's paths, and its npx datafold-ci is the CLI", () => {
    expect(projectRun.code, projectRun.stdout + projectRun.stderr).toBe(0)
    expect(projectRun.stdout).toMatch(new RegExp(`^${VERSION.replaceAll(".", "\\.")}$`, "m"))
    const dependencies = JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies
    expect(dependencies["datafold-ci"]).toBe(`file:../effect-datafold/artifacts/datafold-ci-${VERSION}.tgz`)
    expect(dependencies["effect-datafold"]).toBe(`file:../effect-datafold/artifacts/effect-datafold-${VERSION}.tgz`)
    expect(dependencies["effect"]).toMatch(/^\^3\.\d+\.\d+$/)
  })

  it("the README's Effect quick start runs in that project against the local server", async () => {
    expect(projectRun.code).toBe(0)
    writeFileSync(join(project, "quick-start.ts"), markdownProgram("README.md", "### An Effect program"))
    const server = await startLocalDatafoldServer({ ciConfigIds: [123] })
    try {
      const outcome = await run(repoBin("tsx"), ["quick-start.ts"], project, {
        DATAFOLD_API_KEY: Redacted.value(server.apiKey),
        DATAFOLD_HOST: server.url
      })
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
      expect(outcome.stdout).toMatch(/Datafold CI run 1\b/)
    } finally {
      await server.close()
    }
  })

  it("a pipeline with the tarball beside it: the README's one line, then npx datafold-ci as written; or npx of the tarball", async () => {
    expect(cloneRun.code).toBe(0)
    const pipeline = join(space.dir, "pipeline")
    mkdirSync(pipeline)
    cpSync(join(clone, "artifacts", `datafold-ci-${VERSION}.tgz`), join(pipeline, `datafold-ci-${VERSION}.tgz`))
    const installed = await runBlock(`${pipelineStep}npx datafold-ci --version\n`, pipeline)
    expect(installed.code, installed.stdout + installed.stderr).toBe(0)
    expect(installed.stdout.trim().split("\n").at(-1)).toBe(VERSION)

    const elsewhere = join(space.dir, "pipeline-npx")
    mkdirSync(elsewhere)
    cpSync(join(clone, "artifacts", `datafold-ci-${VERSION}.tgz`), join(elsewhere, `datafold-ci-${VERSION}.tgz`))
    const npx = await runBlock(`${npxTarball} --version\n`, elsewhere)
    expect(npx.code, npx.stdout + npx.stderr).toBe(0)
    expect(npx.stdout.trim()).toBe(VERSION)
  })
})

describe("what the README says does not work before the first release", () => {
  it("npm install of the repository's git URL installs no dist/ (the import fails) and a datafold-ci that says what to do", async () => {
    const fromGit = makeProject(space.dir, "from-git", {
      "effect": "^3.22.0",
      "effect-datafold": `git+file://${origin}`
    })
    await succeed("npm", ["install"], fromGit, npmEnv)
    expect(existsSync(join(fromGit, "node_modules", "effect-datafold", "package.json"))).toBe(true)
    expect(existsSync(join(fromGit, "node_modules", "effect-datafold", "dist"))).toBe(false)
    const load = await run(process.execPath, ["--input-type=module", "-e", `await import("effect-datafold")`], fromGit)
    expect(load.code).not.toBe(0)
    expect(load.stderr).toMatch(/Cannot find module '.*\/dist\/index\.js'/)
    const cli = await run("npx", ["datafold-ci", "--version"], fromGit, npmEnv)
    expect(cli.code).toBe(2)
    expect(cli.stderr).toContain("tsx")
    expect(cli.stderr).toContain("npm run package")
  })
})
