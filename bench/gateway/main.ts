/**
 * bench/gateway: the bench upstream called directly, through a bare re-signing pass-through (the reference the
 * targets in targets.ts are set against) and through the gateway, in the same run and against the same upstream process.
 * Each server is its own process on 127.0.0.1; this process is the load generator.
 *   node --import tsx bench/gateway/main.ts         (or `npm run bench`, which runs every bench)
 * Writes bench/results/gateway.json. BENCH_GATEWAY_CPU_PROF=DIR makes the SigV4 gateway write a V8 CPU profile to DIR.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { eachPath, type BenchPath } from './bench-path.ts'
import { startBenchProcesses } from './bench-processes.ts'
import { largeBodies } from './large-body.ts'
import { anonymousGatewayTarget, barePassThroughTarget, directTarget, signedGatewayTarget } from './load-target.ts'
import { backgroundLoadMeter, machineInfo } from './machine.ts'
import { pacedConverse } from './paced.ts'
import { added } from './percentiles.ts'
import { printReport, type GatewayBenchReport } from './report.ts'
import { saturation } from './saturation.ts'
import { steadyStreams, streamBursts } from './streams.ts'
import { TARGETS, check } from './targets.ts'
import { createClientAgent } from './timed-request.ts'

const RESULT_FILE = new URL('../results/gateway.json', import.meta.url)
/** The whole run takes about 90 s; past this something is stuck, and the run fails rather than hangs. */
const RUN_DEADLINE_MS = 240_000
const SETTLE_MS = 500
const PROFILE_DIR_ENV = 'BENCH_GATEWAY_CPU_PROF'

const SETTINGS = {
  saturation: { connections: 50, warmUpRequests: 15_000, seconds: 3, rounds: 5 },
  paced: { rateHz: 1000, warmUpSeconds: 1, seconds: 6, rounds: 2 },
  steadyStreams: { rateHz: 100, warmUpSeconds: 1, seconds: 4, rounds: 2 },
  burstStreams: 200,
  largeBodyRequests: 5
} as const

const deadline = setTimeout(() => {
  console.error(`bench/gateway: still running after ${RUN_DEADLINE_MS / 1000} s; giving up`)
  process.exit(1)
}, RUN_DEADLINE_MS).unref()

function progress (message: string): void {
  process.stderr.write(`bench/gateway: ${message}\n`)
}

const ratio = (value: number, reference: number): number => Math.round((value / reference) * 1000) / 1000

const machine = machineInfo()
const processes = await startBenchProcesses(process.env[PROFILE_DIR_ENV])
try {
  const direct: BenchPath = { target: directTarget(processes.upstream.url) }
  const barePassThrough: BenchPath = { target: barePassThroughTarget(processes.barePassThrough.url), proxy: processes.barePassThrough }
  const gateway: BenchPath = { target: signedGatewayTarget(processes.signedGateway.url), proxy: processes.signedGateway }
  const gatewayAnonymous: BenchPath = { target: anonymousGatewayTarget(processes.anonymousGateway.url), proxy: processes.anonymousGateway }
  const latencyPaths = { direct, barePassThrough, gateway }
  const agent = createClientAgent()
  const gatewayIdleRssMB = Math.round((await processes.signedGateway.stats()).rssBytes / 1e5) / 10
  const childCpuAtStart = await Promise.all(processes.all.map((child) => child.stats()))
  const ownCpuAtStart = process.cpuUsage()
  const background = backgroundLoadMeter()

  progress('saturation (autocannon)')
  const saturated = await saturation({ direct, barePassThrough, gatewayAnonymous, gateway }, processes.upstream, SETTINGS.saturation)
  await sleep(SETTLE_MS)
  progress(`paced ${SETTINGS.paced.rateHz} req/s`)
  const paced = await pacedConverse(latencyPaths, agent, SETTINGS.paced)
  await sleep(SETTLE_MS)
  progress(`streams started at ${SETTINGS.steadyStreams.rateHz}/s`)
  const steady = await steadyStreams(latencyPaths, agent, SETTINGS.steadyStreams)
  await sleep(SETTLE_MS)
  progress(`bursts of ${SETTINGS.burstStreams} streams`)
  const bursts = await streamBursts(latencyPaths, agent, SETTINGS.burstStreams)
  progress('20 MB bodies')
  const large = await eachPath(latencyPaths, (path) => largeBodies(path, agent, SETTINGS.largeBodyRequests))
  await agent.close()

  const childCpuAtEnd = await Promise.all(processes.all.map((child) => child.stats()))
  const ownCpu = process.cpuUsage(ownCpuAtStart)
  const childCpuMicros = childCpuAtEnd.reduce((sum, stats, index) => sum + stats.cpuMicros - (childCpuAtStart[index]?.cpuMicros ?? NaN), 0)
  const pacedAdded = { barePassThrough: added(paced.barePassThrough.latencyMs, paced.direct.latencyMs), gateway: added(paced.gateway.latencyMs, paced.direct.latencyMs) }
  const steadyAdded = { barePassThrough: added(steady.barePassThrough.firstByteMs, steady.direct.firstByteMs), gateway: added(steady.gateway.firstByteMs, steady.direct.firstByteMs) }

  const report: GatewayBenchReport = {
    benchmark: 'gateway: the bench upstream direct, through a bare re-signing pass-through, and through the gateway (separate processes, 127.0.0.1)',
    date: new Date().toISOString(),
    machine,
    backgroundLoadCores: background.stop((ownCpu.user + ownCpu.system + childCpuMicros) / 1e6),
    settings: SETTINGS,
    saturation: {
      ...saturated,
      throughputToDirect: {
        barePassThrough: ratio(saturated.barePassThrough.requestsPerSecond, saturated.direct.requestsPerSecond),
        gatewayAnonymous: ratio(saturated.gatewayAnonymous.requestsPerSecond, saturated.direct.requestsPerSecond),
        gateway: ratio(saturated.gateway.requestsPerSecond, saturated.direct.requestsPerSecond)
      },
      gatewayCpuToBarePassThrough: ratio(saturated.gateway.proxyCpuMicrosPerRequest, saturated.barePassThrough.proxyCpuMicrosPerRequest)
    },
    paced: { ...paced, addedMs: pacedAdded },
    streams: {
      steady: { ...steady, addedFirstByteMs: steadyAdded },
      burst: {
        direct: bursts.direct.second,
        barePassThrough: bursts.barePassThrough.second,
        gateway: bursts.gateway.second,
        firstBurst: { direct: bursts.direct.first, barePassThrough: bursts.barePassThrough.first, gateway: bursts.gateway.first }
      }
    },
    largeBody: large,
    gatewayIdleRssMB,
    targets: [
      check('gateway CPU per request at saturation, SigV4 verification included', 'µs', saturated.gateway.proxyCpuMicrosPerRequest,
        TARGETS.saturationCpuMicrosPerRequest,
        saturated.barePassThrough.proxyCpuMicrosPerRequest * TARGETS.saturationCpuMicrosPerRequest / TARGETS.referencePassThroughCpuMicrosPerRequest),
      check(`added p99 latency, 2 KB Converse at ${SETTINGS.paced.rateHz} req/s`, 'ms', pacedAdded.gateway.p99,
        TARGETS.pacedAddedP99Ms, pacedAdded.barePassThrough.p99),
      check(`added p99 time to first byte, streams started at ${SETTINGS.steadyStreams.rateHz}/s`, 'ms', steadyAdded.gateway.p99,
        TARGETS.steadyStreamAddedFirstByteP99Ms, Math.max(TARGETS.steadyStreamAddedFirstByteP99Ms, steadyAdded.barePassThrough.p99)),
      check(`time to first byte p50, ${SETTINGS.burstStreams} streams started at once`, 'ms', bursts.gateway.second.firstByteMs.p50,
        TARGETS.burstFirstByteP50Ms, bursts.barePassThrough.second.firstByteMs.p50)
    ],
    failedRequests: [
      ...Object.values(saturated), ...Object.values(paced), ...Object.values(steady),
      ...Object.values(bursts).flatMap(({ first, second }) => [first, second]), ...Object.values(large)
    ].reduce((sum, { failed }) => sum + failed, 0)
  }
  printReport(report)
  await mkdir(new URL('.', RESULT_FILE), { recursive: true })
  await writeFile(RESULT_FILE, JSON.stringify(report, null, 2) + '\n')
  console.log(`written to ${RESULT_FILE.pathname}`)
  if (report.failedRequests > 0) process.exitCode = 1
} finally {
  await processes.stop()
  clearTimeout(deadline)
}
