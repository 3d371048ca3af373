import type { LargeBodyResult } from './large-body.ts'
import type { MachineInfo } from './machine.ts'
import type { PacedResult } from './paced.ts'
import type { Percentiles, Range } from './percentiles.ts'
import type { SaturationResult } from './saturation.ts'
import type { StreamResult, SteadyStreamResult } from './streams.ts'
import type { TargetCheck } from './targets.ts'

type Added = Omit<Percentiles, 'count'>

/** The processes in the middle: the floor, the gateway, and the peer when its binary was found. */
// A type alias, not an interface, so that it fits the bench's path records (which are indexed by any name).
export type MiddlePaths<R> = { readonly barePassThrough: R, readonly gateway: R, readonly sigv4Proxy?: R }
type LatencyPaths<R> = MiddlePaths<R> & { readonly direct: R }

export interface OpenStreamsMemory {
  readonly path: string
  readonly streams: number
  readonly beforeMB: number
  readonly peakMB: number
  /** The kernel refused to reset the peak: it then covers the process's whole life. */
  readonly peakIsSinceStart: boolean
  readonly failed: number
}

interface CpuRatios { readonly gatewayCpuToBarePassThrough: number, readonly gatewayCpuToSigv4Proxy: number }
type PacedAdded = Added & { readonly p99MedianOfRounds: number, readonly p99RoundRange: Range, readonly p99ByRound: readonly number[] }

export interface GatewayBenchReport {
  readonly benchmark: string
  readonly date: string
  /** A smoke run: every case, briefly; its figures mean nothing. */
  readonly smoke: boolean
  readonly machine: MachineInfo
  /** CPU cores' worth of other work on the machine during the run, on average. */
  readonly backgroundLoadCores: number
  readonly settings: {
    readonly saturation: { readonly connections: number, readonly seconds: number, readonly rounds: number }
    readonly tlsSaturation: { readonly connections: number, readonly seconds: number, readonly rounds: number }
    readonly paced: { readonly rateHz: number, readonly seconds: number, readonly rounds: number }
    readonly steadyStreams: { readonly rateHz: number, readonly seconds: number }
    readonly burstStreams: number
    readonly openStreams: number
    readonly largeBodyRequests: number
  }
  readonly sigv4ProxyAbsence?: string
  readonly saturation: LatencyPaths<SaturationResult> & { readonly gatewayAnonymous: SaturationResult } & CpuRatios
  readonly tlsSaturation: MiddlePaths<SaturationResult> & CpuRatios
  readonly paced: LatencyPaths<PacedResult> & { readonly addedMs: MiddlePaths<PacedAdded> }
  readonly streams: {
    readonly steady: LatencyPaths<SteadyStreamResult> & { readonly addedFirstByteMs: MiddlePaths<Added> }
    readonly burst: LatencyPaths<StreamResult> & { readonly addedFirstByteMs: MiddlePaths<Added>, readonly firstBurst: LatencyPaths<StreamResult> }
    readonly open: MiddlePaths<OpenStreamsMemory>
  }
  readonly largeBody: LatencyPaths<LargeBodyResult> & { readonly addedMs: MiddlePaths<number> }
  readonly idleRssMB: MiddlePaths<number>
  readonly targets: readonly TargetCheck[]
  readonly failedRequests: number
}

const LABEL_WIDTH = 26
const COLUMN_WIDTH = 12
const WIDE_COLUMN_WIDTH = 22

function row (label: string, cells: ReadonlyArray<string | number | undefined>, width = COLUMN_WIDTH): string {
  return '  ' + label.padEnd(LABEL_WIDTH) + cells.map((cell) => String(cell ?? '').padStart(width)).join('')
}

function fixed (value: number | undefined, digits = 2): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits)
}

/** A median with the lowest and highest round beside it. */
function withSpread (median: number, [min, max]: Range, digits: number): string {
  return Number.isNaN(median) ? '-' : `${fixed(median, digits)} (${fixed(min, digits)}-${fixed(max, digits)})`
}

/** The given paths that were measured, in the order given. */
function present<R, K extends string> (paths: Partial<Record<K, R>>, keys: readonly K[]): R[] {
  return keys.flatMap((key) => (paths[key] === undefined ? [] : [paths[key]]))
}

const MIDDLE_KEYS = ['barePassThrough', 'sigv4Proxy', 'gateway'] as const
const LATENCY_KEYS = ['direct', ...MIDDLE_KEYS] as const
type MiddleKey = typeof MIDDLE_KEYS[number]
type LatencyKey = typeof LATENCY_KEYS[number]
const LABELS: Readonly<Record<string, string>> = { barePassThrough: 'bare pass-through', sigv4Proxy: 'aws-sigv4-proxy', gateway: 'gateway' }

export function failedNotes (results: ReadonlyArray<{ path: string, failed: number, firstError?: string }>): string[] {
  return results.filter(({ failed }) => failed > 0).map(({ path, failed, firstError }) => `  !! ${path}: ${failed} failed (${firstError ?? 'no answer'})`)
}

/** The saturation results as table lines: a header, then one row per path (medians, with the rounds' spread). */
export function saturationRows (results: readonly SaturationResult[]): string[] {
  return [
    row('path', ['req/s (min-max)', 'p50 ms', 'p99 ms', 'mid µs/req (min-max)', 'up µs/req'], WIDE_COLUMN_WIDTH),
    ...results.map((result) => row(result.path, [
      withSpread(result.requestsPerSecond, result.spread.requestsPerSecond, 0), result.latencyP50Ms, result.latencyP99Ms,
      withSpread(result.proxyCpuMicrosPerRequest, result.spread.proxyCpuMicrosPerRequest, 1), fixed(result.upstreamCpuMicrosPerRequest, 1)
    ], WIDE_COLUMN_WIDTH))
  ]
}

function saturationTable<K extends string> (title: string, paths: Partial<Record<K, SaturationResult>>, keys: readonly K[], ratios: CpuRatios): string[] {
  const rows = present(paths, keys)
  return [
    title,
    ...saturationRows(rows),
    `  gateway CPU per request / bare pass-through's: ${fixed(ratios.gatewayCpuToBarePassThrough)}; / aws-sigv4-proxy's: ${fixed(ratios.gatewayCpuToSigv4Proxy)}`,
    ...failedNotes(rows)
  ]
}

function percentileRow (label: string, times: Added, cpu?: number): string {
  return row(label, [fixed(times.p50), fixed(times.p99), fixed(times.p999), fixed(times.max), fixed(cpu, 1)])
}

function addedRows (added: MiddlePaths<Added>): string[] {
  return MIDDLE_KEYS.flatMap((key) => (added[key] === undefined ? [] : [percentileRow(`added: ${LABELS[key]}`, added[key])]))
}

function latencyLines (report: GatewayBenchReport): string[] {
  const { paced, streams, settings } = report
  const pacedRows = present<PacedResult, LatencyKey>(paced, LATENCY_KEYS)
  const steadyRows = present<SteadyStreamResult, LatencyKey>(streams.steady, LATENCY_KEYS)
  return [
    `paced: ${settings.paced.rateHz} req/s, open loop, ${settings.paced.seconds} s per path in ${settings.paced.rounds} rounds; ms from each request's due time to its last byte`,
    row('path', ['p50', 'p99', 'p99.9', 'max', 'mid µs/req']),
    ...pacedRows.map((result) => percentileRow(result.path, result.latencyMs, result.proxyCpuMicrosPerRequest)),
    ...addedRows(paced.addedMs),
    '  added p99, round by round (median):',
    ...MIDDLE_KEYS.flatMap((key) => {
      const figures = paced.addedMs[key]
      return figures === undefined ? [] : [`    ${LABELS[key]}: ${figures.p99ByRound.map((value) => fixed(value)).join(', ')} (${fixed(figures.p99MedianOfRounds)})`]
    }),
    ...failedNotes(pacedRows),
    '',
    `ConverseStream started at ${settings.steadyStreams.rateHz}/s for ${settings.steadyStreams.seconds} s per path; ms from due time to first byte`,
    row('path', ['p50', 'p99', 'p99.9', 'max', 'mid µs/strm']),
    ...steadyRows.map((result) => percentileRow(result.path, result.firstByteMs, result.proxyCpuMicrosPerStream)),
    ...addedRows(streams.steady.addedFirstByteMs),
    ...failedNotes(steadyRows),
    '',
    `${settings.burstStreams} ConverseStream calls at once; ms to first byte (the first burst also opens the connections)`,
    row('path', ['p50', 'p99', 'max', '1st: p50', '1st: max']),
    ...LATENCY_KEYS.flatMap((key) => {
      const second = streams.burst[key]
      const first = streams.burst.firstBurst[key]
      if (second === undefined || first === undefined) return []
      return [row(second.path, [fixed(second.firstByteMs.p50), fixed(second.firstByteMs.p99), fixed(second.firstByteMs.max), fixed(first.firstByteMs.p50), fixed(first.firstByteMs.max)])]
    }),
    ...addedRows(streams.burst.addedFirstByteMs),
    ...failedNotes(present<StreamResult, LatencyKey>(streams.burst, LATENCY_KEYS)),
    '',
    `${settings.openStreams} ConverseStream calls open at once: RSS MB of the process in the middle`,
    row('path', ['idle', 'before', 'peak']),
    ...MIDDLE_KEYS.flatMap((key) => {
      const open = streams.open[key]
      return open === undefined ? [] : [row(open.path, [fixed(report.idleRssMB[key], 1), fixed(open.beforeMB, 1), `${fixed(open.peakMB, 1)}${open.peakIsSinceStart ? '*' : ''}`])]
    }),
    ...failedNotes(present<OpenStreamsMemory, MiddleKey>(streams.open, MIDDLE_KEYS))
  ]
}

function largeBodyLines (report: GatewayBenchReport): string[] {
  const { largeBody } = report
  const rows = present<LargeBodyResult, LatencyKey>(largeBody, LATENCY_KEYS)
  return [
    `InvokeModel with a ${largeBody.direct.bodyBytes / 2 ** 20} MiB body, ${report.settings.largeBodyRequests} requests one after another`,
    row('path', ['median ms', 'added ms', 'MB/s', 'RSS MB', 'peak MB']),
    ...LATENCY_KEYS.flatMap((key) => {
      const result = largeBody[key]
      if (result === undefined) return []
      const addedMs = key === 'direct' ? undefined : largeBody.addedMs[key]
      return [row(result.path, [fixed(result.medianLatencyMs, 1), fixed(addedMs, 1), result.megabytesPerSecond, result.proxyRssMB?.before, result.proxyRssMB?.peak])]
    }),
    ...failedNotes(rows)
  ]
}

function targetLines (report: GatewayBenchReport): string[] {
  const verdict = (met: boolean): string => (met ? 'met   ' : 'MISSED')
  return [
    'targets, each read against this run (limits from an absent peer are left out)',
    ...report.targets.map((target) =>
      `  ${verdict(target.met)}  ${target.name}: ${fixed(target.measured)} ${target.unit} against ` +
      target.limits.map(({ from, limit, met }) => `${from} ${fixed(limit)} (${met ? 'met' : 'missed'})`).join(', '))
  ]
}

/** The figures as readable tables, then each target and whether it was met. */
export function printReport (report: GatewayBenchReport): void {
  const { machine, settings } = report
  const lines = [
    `gateway bench${report.smoke ? ' (SMOKE RUN: every case briefly; the figures mean nothing)' : ''}: ${machine.cpus} cpus, node ${machine.node}; ` +
      `other work on the machine during the run: ${fixed(report.backgroundLoadCores)} cores on average`,
    ...(report.sigv4ProxyAbsence === undefined ? [] : [`aws-sigv4-proxy not measured: ${report.sigv4ProxyAbsence}`]),
    '',
    ...saturationTable(`saturation: 2 KB Converse, autocannon -c ${settings.saturation.connections}, ${settings.saturation.rounds} rounds of ` +
      `${settings.saturation.seconds} s taken in turns (medians, lowest-highest round); one signature repeated`,
    report.saturation, ['direct', 'barePassThrough', 'sigv4Proxy', 'gatewayAnonymous', 'gateway'], report.saturation),
    '',
    ...saturationTable(`the same in front of an HTTPS upstream (as Bedrock is), ${settings.tlsSaturation.rounds} rounds of ${settings.tlsSaturation.seconds} s`,
      report.tlsSaturation, MIDDLE_KEYS, report.tlsSaturation),
    '',
    ...latencyLines(report),
    '',
    ...largeBodyLines(report),
    '',
    ...targetLines(report),
    ...(report.failedRequests > 0 ? ['', `!! ${report.failedRequests} requests failed: the figures above are not valid`] : [])
  ]
  console.log(lines.join('\n'))
}
