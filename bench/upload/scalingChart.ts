/**
 * The scaling bench's chart as a self-contained SVG: for each set of cores, the upload's time
 * as a ratio to its floor, and its peak RSS, against the folder's size (log scale), one point
 * per folder. Written by hand: two small panels need no charting library.
 *
 * @module
 */
import type { Measured } from "./timeChild.ts"

/** One measured pair, floor and CLI, for one folder and one set of cores. */
export interface ScalingRow {
  readonly size: string
  readonly bytes: number
  readonly files: number
  readonly cores: string
  readonly floor: Measured
  readonly cli: Measured
}

const WIDTH = 760
const PANEL = { width: 320, height: 220, top: 50, left: 60, gap: 80 }
const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]

const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

interface Panel {
  readonly title: string
  readonly value: (row: ScalingRow) => number
  readonly unit: (value: number) => string
  /** A horizontal line to draw, e.g. the floor's 1.0× or a 100 MB target. */
  readonly mark?: { readonly value: number; readonly label: string } | undefined
}

const panelSvg = (panel: Panel, index: number, rows: ReadonlyArray<ScalingRow>): string => {
  const x0 = PANEL.left + index * (PANEL.width + PANEL.gap)
  const y0 = PANEL.top
  const sizes = rows.map((row) => Math.log10(row.bytes))
  const [minX, maxX] = [Math.min(...sizes), Math.max(...sizes)]
  const values = [...rows.map(panel.value), panel.mark?.value ?? 0]
  const maxY = Math.max(...values) * 1.15 || 1
  const x = (bytes: number) => x0 + ((Math.log10(bytes) - minX) / (maxX - minX || 1)) * PANEL.width
  const y = (value: number) => y0 + PANEL.height - (value / maxY) * PANEL.height
  const parts: Array<string> = [
    `<text x="${x0}" y="${y0 - 16}" font-size="14" font-weight="bold">${escape(panel.title)}</text>`,
    `<rect x="${x0}" y="${y0}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#999"/>`
  ]
  for (let i = 0; i <= 4; i++) {
    const value = (maxY / 4) * i
    parts.push(
      `<text x="${x0 - 6}" y="${y(value) + 4}" font-size="10" text-anchor="end">${escape(panel.unit(value))}</text>`
    )
  }
  const bySize = new Map(rows.map((row) => [row.size, row.bytes]))
  for (const [label, bytes] of bySize) {
    parts.push(
      `<text x="${x(bytes)}" y="${y0 + PANEL.height + 14}" font-size="9" text-anchor="middle">${
        escape(label.split(",")[0] ?? label)
      }</text>`
    )
  }
  if (panel.mark !== undefined) {
    parts.push(
      `<line x1="${x0}" x2="${x0 + PANEL.width}" y1="${y(panel.mark.value)}" y2="${
        y(panel.mark.value)
      }" stroke="#888" stroke-dasharray="4 3"/>`,
      `<text x="${x0 + PANEL.width - 4}" y="${y(panel.mark.value) - 4}" font-size="10" text-anchor="end" fill="#666">${
        escape(panel.mark.label)
      }</text>`
    )
  }
  const cores = [...new Set(rows.map((row) => row.cores))]
  cores.forEach((label, c) => {
    const own = rows.filter((row) => row.cores === label).sort((a, b) => a.bytes - b.bytes)
    const points = own.map((row) => `${x(row.bytes).toFixed(1)},${y(panel.value(row)).toFixed(1)}`)
    parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${COLOURS[c % COLOURS.length]}"/>`)
    for (const row of own) {
      parts.push(
        `<circle cx="${x(row.bytes).toFixed(1)}" cy="${y(panel.value(row)).toFixed(1)}" r="3" fill="${
          COLOURS[c % COLOURS.length]
        }"/>`
      )
    }
    parts.push(
      `<text x="${x0 + 8}" y="${y0 + 16 + c * 14}" font-size="11" fill="${COLOURS[c % COLOURS.length]}">${
        escape(label)
      }</text>`
    )
  })
  return parts.join("\n")
}

/** The chart of a scaling run; `caption` says when and where it was measured. */
export const scalingChart = (rows: ReadonlyArray<ScalingRow>, caption: string): string => {
  const height = PANEL.top + PANEL.height + 60
  const panels: ReadonlyArray<Panel> = [
    {
      title: "datafold-ci dbt upload ÷ (zip -r + curl -F)",
      value: (row) => row.cli.seconds / row.floor.seconds,
      unit: (value) => `${value.toFixed(1)}×`,
      mark: { value: 1, label: "the floor" }
    },
    {
      title: "datafold-ci dbt upload: peak RSS",
      value: (row) => row.cli.maxRssBytes / 1e6,
      unit: (value) => `${value.toFixed(0)} MB`,
      mark: { value: 100, label: "100 MB" }
    }
  ]
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((panel, index) => panelSvg(panel, index, rows)),
    `<text x="${PANEL.left}" y="${height - 12}" font-size="10" fill="#666">${
      escape(`folder size, log scale. ${caption}`)
    }</text>`,
    "</svg>",
    ""
  ].join("\n")
}
