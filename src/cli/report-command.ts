import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { InvalidArgumentError, type Command } from 'commander'
import { AUDIT_MESSAGE, REQUEST_DECISIONS, type RequestDecision } from '../core/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode, renderJson, renderTable } from './cli-io.ts'

const DEFAULT_DECISION: RequestDecision = 'would_deny'
/** What an audit line says when it names no such thing (an unknown operation names no model). */
const NONE = '-'
/** The count column, right-aligned like the numbers it holds. */
const COUNT_COLUMN: ReadonlySet<number> = new Set([0])

interface ReportOptions {
  readonly decision: RequestDecision
  readonly json?: boolean
}

/** One row of the report: how many requests of the decision a client made, for one reason and model. */
interface ReportRow {
  readonly count: number
  readonly client: string
  readonly reason: string
  readonly model: string
}

interface Report {
  readonly decision: RequestDecision
  readonly requests: number
  readonly first?: string
  readonly last?: string
  /** Lines that were not audit lines of the gateway: other log lines, or text that is not JSON. */
  readonly otherLines: number
  readonly rows: readonly ReportRow[]
}

function parseDecision (value: string): RequestDecision {
  if ((REQUEST_DECISIONS as readonly string[]).includes(value)) return value as RequestDecision
  throw new InvalidArgumentError(`"${value}" is not one of ${REQUEST_DECISIONS.join(', ')}`)
}

function auditLineOf (text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
    const line = parsed as Record<string, unknown>
    return line.msg === AUDIT_MESSAGE ? line : undefined
  } catch {
    return undefined
  }
}

function textOf (value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : NONE
}

/** Reads audit lines one at a time, so a log of any size is summarised in the memory of its distinct rows. */
async function summarise (inputs: readonly Readable[], decision: RequestDecision): Promise<Report> {
  const counts = new Map<string, ReportRow>()
  let requests = 0
  let otherLines = 0
  let first: string | undefined
  let last: string | undefined
  for (const input of inputs) {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      if (text.trim() === '') continue
      const line = auditLineOf(text)
      if (line === undefined) {
        otherLines++
        continue
      }
      if (line.decision !== decision) continue
      requests++
      const time = typeof line.time === 'string' ? line.time : undefined
      if (time !== undefined && (first === undefined || time < first)) first = time
      if (time !== undefined && (last === undefined || time > last)) last = time
      const row = { client: textOf(line.client), reason: textOf(line.reason), model: textOf(line.modelId) }
      const key = JSON.stringify([row.client, row.reason, row.model])
      counts.set(key, { ...row, count: (counts.get(key)?.count ?? 0) + 1 })
    }
  }
  const rows = [...counts.values()].sort((a, b) => b.count - a.count || a.client.localeCompare(b.client) ||
    a.reason.localeCompare(b.reason) || a.model.localeCompare(b.model))
  return { decision, requests, first, last, otherLines, rows }
}

function renderText (report: Report): string {
  const span = report.first === undefined ? '' : ` from ${report.first} to ${report.last ?? report.first}`
  let text = `${report.decision}: ${report.requests} request${report.requests === 1 ? '' : 's'}${span}\n`
  if (report.rows.length > 0) {
    text += renderTable([['count', 'client', 'reason', 'model'], ...report.rows.map((row) => [String(row.count), row.client, row.reason, row.model])], COUNT_COLUMN)
  }
  if (report.otherLines > 0) text += `(${report.otherLines} line${report.otherLines === 1 ? '' : 's'} that are not audit lines skipped)\n`
  return text
}

async function runReport (files: readonly string[], options: ReportOptions, io: CliIo, stdin: () => Readable): Promise<ExitCode> {
  const inputs = files.length === 0 ? [stdin()] : files.map((file) => createReadStream(file))
  let report: Report
  try {
    report = await summarise(inputs, options.decision)
  } catch (error) {
    io.stderr(`cannot read the audit log: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`)
    return EXIT_CODES.usageOrConfigError
  }
  io.stdout(options.json === true ? renderJson(report) : renderText(report))
  return EXIT_CODES.ok
}

export function registerReportCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void, stdin: () => Readable = () => process.stdin): void {
  program.command('report')
    .description('summarise the gateway\'s audit log: requests of one decision (would_deny by default) by client, reason and model')
    .argument('[files...]', 'audit log files, JSON lines as the gateway writes them (default: standard input)')
    .option('--decision <decision>', `the decision to count (${REQUEST_DECISIONS.join(', ')})`, parseDecision, DEFAULT_DECISION)
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], options: ReportOptions) => { finish(await runReport(files, options, io, stdin)) })
}
