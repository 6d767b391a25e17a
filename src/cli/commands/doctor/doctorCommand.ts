/**
 * `datafold-ci doctor` as `main` loads it: the checklist, its renderings, exit 2 when a check failed.
 *
 * @module
 */
import type { Command } from "../../shell/Command.ts"
import { ExitCode } from "../../shell/ExitCode.ts"
import { doctor, type DoctorOutcome } from "./doctor.ts"
import { doctorJson, doctorMarkdown, doctorText } from "./doctorOutput.ts"

/** `doctor`: every check, exit 0 when all pass and 2 otherwise. */
export const doctorCommand: Command<DoctorOutcome> = {
  run: doctor,
  text: doctorText,
  json: doctorJson,
  summary: doctorMarkdown,
  exitCode: (outcome) => (outcome.ok ? ExitCode.Triggered : ExitCode.Usage)
}
