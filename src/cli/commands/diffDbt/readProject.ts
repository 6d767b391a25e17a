/**
 * What `diff dbt` reads from disk: the dbt target folder's `manifest.json` and
 * `run_results.json`, and `vars: data_diff:` of `dbt_project.yml` (read with js-yaml's
 * safe loader, as data-diff reads it with PyYAML's `safe_load`; the manifest does not
 * carry the project's vars). A missing or malformed file fails naming it (exit 2).
 *
 * @module
 */
import * as Effect from "effect/Effect"
import jsYaml from "js-yaml"
import { access, readFile } from "node:fs/promises"
import { dirname, join, resolve } from "node:path"
import {
  type DataDiffVars,
  type DbtManifest,
  type DbtRunResult,
  type Decoded,
  decodeDataDiffVars,
  decodeManifest,
  decodeRunResults
} from "../../../core/dbtDiff/artifacts.ts"
import { DEFAULT_TARGET_FOLDER } from "../../args/dbtDefaults.ts"
import { DbtProjectFileError } from "../../shell/DiffDbtError.ts"

/** dbt's project file name. */
const PROJECT_FILE = "dbt_project.yml"

/** What `diff dbt` read, and where from. */
export interface DbtProject {
  readonly manifest: DbtManifest
  readonly runResults: ReadonlyArray<DbtRunResult>
  readonly vars: DataDiffVars
  readonly files: { readonly manifest: string; readonly runResults: string; readonly project: string }
}

const reasonOf = (error: unknown): string => {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined
  return code === "ENOENT"
    ? "it does not exist"
    : code === "EISDIR"
    ? "it is a folder, not a file"
    : code === "EACCES"
    ? "it cannot be read (permission denied)"
    : `it cannot be read (${code ?? String(error)})`
}

const readText = (file: string, hint: string): Effect.Effect<string, DbtProjectFileError> =>
  Effect.tryPromise({
    try: () => readFile(file, "utf8"),
    catch: (error) => new DbtProjectFileError({ file, problem: reasonOf(error), hint })
  })

const readJson = <A>(
  file: string,
  hint: string,
  decode: (json: unknown) => Decoded<A>
): Effect.Effect<A, DbtProjectFileError> =>
  Effect.flatMap(readText(file, hint), (text) => {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return Effect.fail(
        new DbtProjectFileError({
          file,
          problem: text.trim() === ""
            ? "it is empty"
            : `it is not JSON (${error instanceof Error ? error.message : error})`,
          hint
        })
      )
    }
    const decoded = decode(json)
    return decoded.ok ? Effect.succeed(decoded.value) : Effect.fail(
      new DbtProjectFileError({ file, problem: decoded.problem, hint })
    )
  })

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false)

/** The folder and its ancestors, nearest first. */
const upFrom = (folder: string): ReadonlyArray<string> => {
  const folders = [folder]
  for (let parent = dirname(folder); parent !== folders[folders.length - 1]; parent = dirname(parent)) {
    folders.push(parent)
  }
  return folders
}

/**
 * Where `dbt_project.yml` is: in `--project-dir` when given; else beside the target
 * folder (its parent), then in the working directory or the nearest folder above it, as
 * dbt looks; the project file named there (and missing) when none has it.
 */
const findProjectFile = (cwd: string, target: string, projectDir: string | undefined): Effect.Effect<string> =>
  projectDir !== undefined ? Effect.succeed(join(resolve(cwd, projectDir), PROJECT_FILE)) : Effect.promise(async () => {
    for (const folder of [dirname(target), ...upFrom(cwd)]) {
      const file = join(folder, PROJECT_FILE)
      if (await exists(file)) return file
    }
    return join(cwd, PROJECT_FILE)
  })

const readVars = (file: string): Effect.Effect<DataDiffVars, DbtProjectFileError> => {
  const hint = "diff dbt reads vars: data_diff: (prod_database, prod_schema, prod_custom_schema) from the dbt " +
    "project's dbt_project.yml; pass --project-dir DIR for the folder that has it."
  return Effect.flatMap(readText(file, hint), (text) => {
    try {
      return Effect.succeed(decodeDataDiffVars(jsYaml.load(text, { filename: file })))
    } catch (error) {
      // The reason and the line, never js-yaml's excerpt of the file.
      const mark = typeof error === "object" && error !== null && "mark" in error
        ? (error as { mark?: { line?: number } }).mark
        : undefined
      const reason = typeof error === "object" && error !== null && "reason" in error
        ? String((error as { reason: unknown }).reason)
        : String(error)
      return Effect.fail(
        new DbtProjectFileError({
          file,
          problem: `it is not valid YAML (${reason}${mark?.line === undefined ? "" : ` at line ${mark.line + 1}`})`,
          hint: "Fix the file so dbt itself can read it."
        })
      )
    }
  })
}

/** Reads the target folder's artifacts and the project's `vars.data_diff`. */
export const readDbtProject = (
  cwd: string,
  targetFolder: string | undefined,
  projectDir: string | undefined
): Effect.Effect<DbtProject, DbtProjectFileError> =>
  Effect.gen(function* () {
    const target = resolve(cwd, targetFolder ?? DEFAULT_TARGET_FOLDER)
    const given = targetFolder === undefined ? "" : " (--target-folder)"
    const manifestFile = join(target, "manifest.json")
    const runResultsFile = join(target, "run_results.json")
    const hint = `Run diff dbt after dbt run or dbt build, with --target-folder DIR for dbt's target folder${given}.`
    const manifest = yield* readJson(manifestFile, hint, decodeManifest)
    const runResults = yield* readJson(runResultsFile, hint, decodeRunResults)
    const projectFile = yield* findProjectFile(cwd, target, projectDir)
    const vars = yield* readVars(projectFile)
    return {
      manifest,
      runResults,
      vars,
      files: { manifest: manifestFile, runResults: runResultsFile, project: projectFile }
    }
  })
