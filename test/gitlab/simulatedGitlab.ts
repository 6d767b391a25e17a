/**
 * A small stand-in for GitLab's runner, enough to run a CI/CD component's jobs as GitLab
 * would: the component's `spec: inputs:` header filled in (`$[[ inputs.name ]]`, with
 * defaults, types and required inputs checked), `extends:` merged, `rules: if:` evaluated
 * against the pipeline's variables, and each `script:` line run by `sh` with the job's
 * variables, in order, stopping at the first that fails. What GitLab does with
 * `artifacts:reports:junit` is read back by the test.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import yaml from "js-yaml"

/** One input of a component's `spec:`. */
interface InputSpec {
  readonly type?: "string" | "number" | "boolean" | "array"
  readonly default?: unknown
  readonly description?: string
}

/** A job as the component defines it, after `extends:`. */
export interface Job {
  readonly stage?: string
  readonly image?: string
  readonly extends?: string
  readonly variables?: Readonly<Record<string, string>>
  readonly rules?: ReadonlyArray<{ readonly if?: string }>
  readonly script: ReadonlyArray<string>
  readonly artifacts?: {
    readonly when?: string
    readonly paths?: ReadonlyArray<string>
    readonly reports?: { readonly junit?: string }
  }
}

/** A component file: its inputs and its jobs (hidden ones, `.name`, included). */
export interface Component {
  readonly inputs: Readonly<Record<string, InputSpec>>
  readonly jobs: Readonly<Record<string, Job>>
}

/** Reads a component with the given inputs, as `include: component:` does. */
export const loadComponent = (file: string, given: Readonly<Record<string, string | number>>): Component => {
  const [header, body] = readFileSync(file, "utf8").split(/^---$/m)
  if (header === undefined || body === undefined) throw new Error(`${file}: no "---" after the spec header`)
  const inputs = ((yaml.load(header) as { spec: { inputs: Record<string, InputSpec> } }).spec.inputs) ?? {}
  for (const name of Object.keys(given)) {
    if (!(name in inputs)) throw new Error(`unknown input ${name}`)
  }
  const values: Record<string, string> = {}
  for (const [name, spec] of Object.entries(inputs)) {
    const value = given[name] ?? spec.default
    if (value === undefined) throw new Error(`the required input ${name} is missing`)
    if (spec.type === "number" && typeof value !== "number") throw new Error(`the input ${name} must be a number`)
    values[name] = String(value)
  }
  const filled = body.replace(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`$[[ inputs.${name} ]] names no input`)
    return value
  })
  if (filled.includes("$[[")) throw new Error("an interpolation is left after the inputs were filled in")
  const raw = yaml.load(filled) as Record<string, Job>
  const jobs: Record<string, Job> = {}
  for (const [name, job] of Object.entries(raw)) {
    const parent = job.extends === undefined ? undefined : raw[job.extends]
    if (job.extends !== undefined && parent === undefined) throw new Error(`${name} extends a job that is not there`)
    // `extends:` merges hashes key by key (variables included); the child wins.
    jobs[name] = {
      ...parent,
      ...job,
      variables: { ...parent?.variables, ...job.variables }
    } as Job
  }
  return { inputs, jobs }
}

/** The variables of a pipeline, as GitLab predefines them. */
export type Variables = Readonly<Record<string, string>>

/**
 * A `rules: if:` expression: `$A == $B`, `$A == "text"`, `!=`, joined by `&&`, which is
 * all a component here uses. An unset variable is null, as in GitLab.
 */
export const ruleMatches = (expression: string, variables: Variables): boolean =>
  expression.split("&&").every((clause) => {
    const match = /^\s*(\S+)\s*(==|!=)\s*(\S+)\s*$/.exec(clause)
    if (match === null) throw new Error(`cannot read the rule clause ${JSON.stringify(clause)}`)
    const value = (operand: string): string | null =>
      operand.startsWith("$")
        ? variables[operand.slice(1)] ?? null
        : operand.startsWith('"') && operand.endsWith('"')
        ? operand.slice(1, -1)
        : operand === "null"
        ? null
        : (() => {
          throw new Error(`cannot read the operand ${operand}`)
        })()
    const equal = value(match[1] ?? "") === value(match[3] ?? "")
    return match[2] === "==" ? equal : !equal
  })

/** The jobs a pipeline with these variables runs (hidden jobs never run). */
export const jobsToRun = (component: Component, variables: Variables): ReadonlyArray<string> =>
  Object.entries(component.jobs)
    .filter(([name]) => !name.startsWith("."))
    .filter(([, job]) =>
      job.rules === undefined || job.rules.some((rule) => rule.if === undefined || ruleMatches(rule.if, variables))
    )
    .map(([name]) => name)

/** What a job did: its exit code (the first failing line's) and its log. */
export interface JobResult {
  readonly code: number
  readonly log: string
}

/** Runs a job's script lines with `sh`, in `cwd`, as a runner would. */
export const runJob = async (job: Job, variables: Variables, cwd: string): Promise<JobResult> => {
  let log = ""
  for (const line of job.script) {
    log += `$ ${line}\n`
    const code = await new Promise<number>((resolve) => {
      const child = spawn("sh", ["-c", line], {
        cwd,
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cwd, ...variables, ...job.variables },
        stdio: ["ignore", "pipe", "pipe"]
      })
      child.stdout.on("data", (chunk) => void (log += String(chunk)))
      child.stderr.on("data", (chunk) => void (log += String(chunk)))
      child.on("close", (status) => resolve(status ?? 1))
    })
    if (code !== 0) return { code, log }
  }
  return { code: 0, log }
}
