import { ANY_REGION } from '../policy/index.ts'

/** Where a command writes and what environment it reads; tests pass their own to capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly env: NodeJS.ProcessEnv
}

export function processIo (): CliIo {
  return {
    stdout: (text) => { process.stdout.write(text) },
    stderr: (text) => { process.stderr.write(text) },
    env: process.env
  }
}

/** The CLI's exit codes: scripts and CI branch on them, so they never change. */
export const EXIT_CODES = {
  ok: 0,
  /** `check` found something, `explain` denied, or `serve` refused to start on findings. */
  findingsOrDenied: 1,
  usageOrConfigError: 2
} as const

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES]

const JSON_INDENT = 2

/** Pretty JSON as the CLI prints and writes it: two-space indent, ending in a newline like any text file. */
export function renderJson (value: unknown): string {
  return `${JSON.stringify(value, null, JSON_INDENT)}\n`
}

const ANY_REGION_NAME = 'any region'
const SHOWN_REGION_SEPARATOR = ', '

/** Regions for a person to read, e.g. `us-east-1, any region`: AWS's `*` destination spelled out. */
export function regionList (regions: readonly string[]): string {
  return regions.map((region) => region === ANY_REGION ? ANY_REGION_NAME : region).join(SHOWN_REGION_SEPARATOR)
}

const COLUMN_GAP = '  '

/**
 * Rows as text columns, each padded to its widest cell and two spaces apart, one line each. Columns listed in
 * `rightAligned` are padded on the left (counts); the last column is not padded, so no line ends in spaces.
 */
export function renderTable (rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const pad = (cell: string, column: number, last: boolean): string =>
    rightAligned.has(column) ? cell.padStart(widths[column]!) : last ? cell : cell.padEnd(widths[column]!)
  return rows
    .map((row) => `${row.map((cell, column) => pad(cell, column, column === row.length - 1)).join(COLUMN_GAP)}\n`)
    .join('')
}
