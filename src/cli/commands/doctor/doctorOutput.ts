/**
 * How `datafold-ci doctor`'s checklist is shown: lines with ✔ or ✘ and the fix, one JSON
 * object, and Markdown for the GitHub Actions step summary.
 *
 * @module
 */
import type { DoctorCheck, DoctorOutcome } from "./doctor.ts"

const mark = (check: DoctorCheck): string => (check.ok ? "✔" : "✘")

const verdict = (outcome: DoctorOutcome): string => {
  const failed = outcome.checks.filter((check) => !check.ok).length
  return failed === 0 ? "all checks pass" : `${failed} of ${outcome.checks.length} checks failed`
}

/** The checklist for a terminal or a CI log: each check, its detail's further lines indented, then its fix. */
export const doctorText = (outcome: DoctorOutcome): string =>
  outcome.checks.map((check) => {
    const [first, ...more] = check.detail.split("\n")
    return [
      `${mark(check)} ${check.name}: ${first ?? ""}`,
      ...more.map((line) => `    ${line}`),
      ...(check.fix === undefined ? [] : [`    fix: ${check.fix}`])
    ].join("\n")
  }).join("\n") + `\n${verdict(outcome)}\n`

/** `--json`: `{ok, checks:[{name, ok, detail, fix}]}`, `fix` null when nothing is to be done. */
export const doctorJson = (outcome: DoctorOutcome): unknown => ({
  ok: outcome.ok,
  checks: outcome.checks.map((check) => ({
    name: check.name,
    ok: check.ok,
    detail: check.detail,
    fix: check.fix ?? null
  }))
})

/** Text safe inside Markdown: the characters that would format it are escaped. */
const plain = (text: string): string => text.replace(/[\\`*_[\]<>|#~]/g, (char) => `\\${char}`)

/** The step summary: the checklist as a Markdown list. */
export const doctorMarkdown = (outcome: DoctorOutcome): string =>
  [
    `### ${outcome.ok ? "✅" : "❌"} Datafold doctor: ${verdict(outcome)}`,
    "",
    ...outcome.checks.flatMap((check) => {
      const [first, ...more] = check.detail.split("\n")
      return [
        `- ${mark(check)} **${plain(check.name)}**: ${plain(first ?? "")}`,
        ...more.map((line) => `  - ${plain(line)}`),
        ...(check.fix === undefined ? [] : [`  - fix: ${plain(check.fix)}`])
      ]
    }),
    ""
  ].join("\n")
