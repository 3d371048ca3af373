import type { LargeBodyResult } from './large-body.ts'
import type { MachineInfo } from './machine.ts'
import type { PacedResult } from './paced.ts'
import type { Percentiles } from './percentiles.ts'
import type { SaturationResult } from './saturation.ts'
import type { StreamResult, SteadyStreamResult } from './streams.ts'
import type { TargetCheck } from './targets.ts'

type Added = Omit<Percentiles, 'count'>
interface LatencyPaths<R> { readonly direct: R, readonly barePassThrough: R, readonly gateway: R }

export interface GatewayBenchReport {
  readonly benchmark: string
  readonly date: string
  readonly machine: MachineInfo
  /** CPU cores' worth of other work on the machine during the run, on average. */
  readonly backgroundLoadCores: number
  readonly settings: {
    readonly saturation: { readonly connections: number, readonly seconds: number, readonly rounds: number }
    readonly paced: { readonly rateHz: number, readonly seconds: number }
    readonly steadyStreams: { readonly rateHz: number, readonly seconds: number }
    readonly burstStreams: number
    readonly largeBodyRequests: number
  }
  readonly saturation: LatencyPaths<SaturationResult> & {
    readonly gatewayAnonymous: SaturationResult
    readonly throughputToDirect: { readonly barePassThrough: number, readonly gatewayAnonymous: number, readonly gateway: number }
    readonly gatewayCpuToBarePassThrough: number
  }
  readonly paced: LatencyPaths<PacedResult> & { readonly addedMs: { readonly barePassThrough: Added, readonly gateway: Added } }
  readonly streams: {
    readonly steady: LatencyPaths<SteadyStreamResult> & { readonly addedFirstByteMs: { readonly barePassThrough: Added, readonly gateway: Added } }
    readonly burst: LatencyPaths<StreamResult> & { readonly firstBurst: LatencyPaths<StreamResult> }
  }
  readonly largeBody: LatencyPaths<LargeBodyResult>
  readonly gatewayIdleRssMB: number
  readonly targets: readonly TargetCheck[]
  readonly failedRequests: number
}

const LABEL_WIDTH = 24
const COLUMN_WIDTH = 11
const PATH_KEYS = ['direct', 'barePassThrough', 'gateway'] as const

function row (label: string, cells: ReadonlyArray<string | number | undefined>): string {
  return '  ' + label.padEnd(LABEL_WIDTH) + cells.map((cell) => String(cell ?? '').padStart(COLUMN_WIDTH)).join('')
}

function fixed (value: number | undefined, digits = 2): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits)
}

function failedNotes (results: ReadonlyArray<{ path: string, failed: number, firstError?: string }>): string[] {
  return results.filter(({ failed }) => failed > 0).map(({ path, failed, firstError }) => `  !! ${path}: ${failed} failed (${firstError ?? 'no answer'})`)
}

function percentileRow (label: string, times: Added, cpu?: number): string {
  return row(label, [fixed(times.p50), fixed(times.p99), fixed(times.p999), fixed(times.max), fixed(cpu, 1)])
}

function saturationLines (report: GatewayBenchReport): string[] {
  const { saturation, settings } = report
  const rows = [saturation.direct, saturation.barePassThrough, saturation.gatewayAnonymous, saturation.gateway]
  return [
    `saturation: 2 KB Converse, autocannon -c ${settings.saturation.connections}, ${settings.saturation.rounds} rounds of ` +
      `${settings.saturation.seconds} s taken in turns (medians); one signature repeated`,
    row('path', ['req/s', 'vs direct', 'p50 ms', 'p99 ms', 'mid µs/req', 'up µs/req']),
    ...rows.map((result) => row(result.path, [
      result.requestsPerSecond, fixed(result.requestsPerSecond / saturation.direct.requestsPerSecond, 3), result.latencyP50Ms,
      result.latencyP99Ms, fixed(result.proxyCpuMicrosPerRequest, 1), fixed(result.upstreamCpuMicrosPerRequest, 1)
    ])),
    `  gateway CPU per request / bare pass-through's: ${fixed(saturation.gatewayCpuToBarePassThrough, 2)}`,
    ...failedNotes(rows)
  ]
}

function latencyLines (report: GatewayBenchReport): string[] {
  const { paced, streams, settings } = report
  return [
    `paced: ${settings.paced.rateHz} req/s, open loop, ${settings.paced.seconds} s per path; ms from each request's due time to its last byte`,
    row('path', ['p50', 'p99', 'p99.9', 'max', 'mid µs/req']),
    ...PATH_KEYS.map((key) => percentileRow(paced[key].path, paced[key].latencyMs, paced[key].proxyCpuMicrosPerRequest)),
    percentileRow('added: bare pass-through', paced.addedMs.barePassThrough),
    percentileRow('added: gateway', paced.addedMs.gateway),
    ...failedNotes(PATH_KEYS.map((key) => paced[key])),
    '',
    `ConverseStream started at ${settings.steadyStreams.rateHz}/s for ${settings.steadyStreams.seconds} s per path; ms from due time to first byte`,
    row('path', ['p50', 'p99', 'p99.9', 'max', 'mid µs/strm']),
    ...PATH_KEYS.map((key) => percentileRow(streams.steady[key].path, streams.steady[key].firstByteMs, streams.steady[key].proxyCpuMicrosPerStream)),
    percentileRow('added: bare pass-through', streams.steady.addedFirstByteMs.barePassThrough),
    percentileRow('added: gateway', streams.steady.addedFirstByteMs.gateway),
    ...failedNotes(PATH_KEYS.map((key) => streams.steady[key])),
    '',
    `${settings.burstStreams} ConverseStream calls at once; ms to first byte (the first burst also opens the connections)`,
    row('path', ['p50', 'p99', 'max', '1st: p50', '1st: max']),
    ...PATH_KEYS.map((key) => {
      const { firstByteMs } = streams.burst[key]
      const first = streams.burst.firstBurst[key].firstByteMs
      return row(streams.burst[key].path, [fixed(firstByteMs.p50), fixed(firstByteMs.p99), fixed(firstByteMs.max), fixed(first.p50), fixed(first.max)])
    }),
    ...failedNotes(PATH_KEYS.flatMap((key) => [streams.burst[key], streams.burst.firstBurst[key]]))
  ]
}

function largeBodyLines (report: GatewayBenchReport): string[] {
  const { largeBody } = report
  return [
    `InvokeModel with a ${largeBody.direct.bodyBytes / 2 ** 20} MiB body, ${report.settings.largeBodyRequests} requests one after another`,
    row('path', ['median ms', 'MB/s', 'RSS MB', 'peak MB']),
    ...PATH_KEYS.map((key) => row(largeBody[key].path, [
      fixed(largeBody[key].medianLatencyMs, 1), largeBody[key].megabytesPerSecond, largeBody[key].proxyRssMB?.before, largeBody[key].proxyRssMB?.peak
    ])),
    ...failedNotes(PATH_KEYS.map((key) => largeBody[key])),
    `  gateway RSS when idle after start-up: ${report.gatewayIdleRssMB} MB`
  ]
}

function targetLines (report: GatewayBenchReport): string[] {
  const verdict = (met: boolean): string => (met ? 'met   ' : 'MISSED')
  return [
    'targets (target figure | the same target read against this run\'s bare pass-through)',
    ...report.targets.map((target) =>
      `  ${verdict(target.met)} | ${verdict(target.metAgainstThisRunsPassThrough)}  ${target.name}: ${fixed(target.measured)} ${target.unit} ` +
      `(limit ${target.limit} | ${fixed(target.limitFromThisRunsPassThrough)})`)
  ]
}

/** The figures as readable tables, then each target and whether it was met. */
export function printReport (report: GatewayBenchReport): void {
  const { machine } = report
  const lines = [
    `gateway bench: ${machine.cpus} cpus, node ${machine.node}; other work on the machine during the run: ` +
      `${fixed(report.backgroundLoadCores)} cores on average`,
    '',
    ...saturationLines(report),
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
