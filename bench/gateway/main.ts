/**
 * bench/gateway: the bench upstream called directly, through a bare re-signing pass-through (the floor), through
 * aws-sigv4-proxy (the peer, when its binary is found; see bench-processes.ts) and through the gateway, in the same
 * run and against the same upstream process; then the middle processes again in front of an HTTPS upstream.
 * Each server is its own process on 127.0.0.1; this process is the load generator.
 *   node --import tsx bench/gateway/main.ts         (or `npm run bench`, which runs every bench)
 * Writes bench/results/gateway.json (BENCH_GATEWAY_RESULT_FILE=PATH writes there instead).
 * BENCH_GATEWAY_SMOKE=1 runs every case briefly, to show the bench still works (its figures mean nothing).
 * BENCH_GATEWAY_CPU_PROF=DIR makes the SigV4 gateway write a V8 CPU profile to DIR.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Agent } from 'undici'
import { eachPath, mapPaths, type BenchPath } from './bench-path.ts'
import { startBenchProcesses, type ServerSet } from './bench-processes.ts'
import { largeBodies } from './large-body.ts'
import {
  anonymousGatewayTarget, barePassThroughTarget, directTarget, signedGatewayTarget, sigv4ProxyTarget
} from './load-target.ts'
import { backgroundLoadMeter, machineInfo } from './machine.ts'
import { pacedConverse } from './paced.ts'
import { added, median, range } from './percentiles.ts'
import { peakRssMegabytes, resetPeakRss, rssMegabytes } from './process-memory.ts'
import { printReport, type GatewayBenchReport, type MiddlePaths, type OpenStreamsMemory } from './report.ts'
import { saturation } from './saturation.ts'
import { steadyStreams, streamBurst, streamBursts } from './streams.ts'
import { TARGETS, check } from './targets.ts'
import { createClientAgent } from './timed-request.ts'

const DEFAULT_RESULT_FILE = fileURLToPath(new URL('../results/gateway.json', import.meta.url))
const RESULT_FILE_ENV = 'BENCH_GATEWAY_RESULT_FILE'
const SMOKE_ENV = 'BENCH_GATEWAY_SMOKE'
const PROFILE_DIR_ENV = 'BENCH_GATEWAY_CPU_PROF'
/** The whole run takes about 5 minutes; past this something is stuck, and the run fails rather than hangs. */
const RUN_DEADLINE_MS = 600_000
const SETTLE_MS = 500

const FULL_SETTINGS = {
  saturation: { connections: 50, warmUpRequests: 15_000, seconds: 3, rounds: 5 },
  tlsSaturation: { connections: 50, warmUpRequests: 5_000, seconds: 3, rounds: 3 },
  paced: { rateHz: 1000, warmUpSeconds: 1, seconds: 10, rounds: 5 },
  steadyStreams: { rateHz: 100, warmUpSeconds: 1, seconds: 4, rounds: 2 },
  burstStreams: 200,
  openStreams: 1000,
  largeBodyRequests: 5
} as const
const SMOKE_SETTINGS = {
  saturation: { connections: 4, warmUpRequests: 50, seconds: 1, rounds: 1 },
  tlsSaturation: { connections: 4, warmUpRequests: 50, seconds: 1, rounds: 1 },
  paced: { rateHz: 100, warmUpSeconds: 0.1, seconds: 0.4, rounds: 2 },
  steadyStreams: { rateHz: 20, warmUpSeconds: 0.1, seconds: 0.4, rounds: 1 },
  burstStreams: 10,
  openStreams: 20,
  largeBodyRequests: 1
} as const

const smoke = process.env[SMOKE_ENV] === '1'
const SETTINGS = smoke ? SMOKE_SETTINGS : FULL_SETTINGS
const resultFile = process.env[RESULT_FILE_ENV] ?? DEFAULT_RESULT_FILE

const deadline = setTimeout(() => {
  console.error(`bench/gateway: still running after ${RUN_DEADLINE_MS / 1000} s; giving up`)
  process.exit(1)
}, RUN_DEADLINE_MS).unref()

function progress (message: string): void {
  process.stderr.write(`bench/gateway: ${message}\n`)
}

const ratio = (value: number, reference: number): number => Math.round((value / reference) * 1000) / 1000

/** The processes in the middle of one server set as bench paths: the floor, the gateway and, when present, the peer. */
function middlePaths (set: ServerSet): MiddlePaths<BenchPath> {
  return {
    barePassThrough: { target: barePassThroughTarget(set.barePassThrough.url), proxy: set.barePassThrough },
    gateway: { target: signedGatewayTarget(set.signedGateway.url), proxy: set.signedGateway },
    ...(set.sigv4Proxy === undefined ? {} : { sigv4Proxy: { target: sigv4ProxyTarget(set.sigv4Proxy.url), proxy: set.sigv4Proxy } })
  }
}

/** The peak RSS of each process in the middle while `count` streams are open through it at once. */
async function openStreamsMemory (paths: MiddlePaths<BenchPath>, agent: Agent, count: number): Promise<MiddlePaths<OpenStreamsMemory>> {
  return await eachPath(paths, async (path): Promise<OpenStreamsMemory> => {
    const pid = path.proxy?.pid ?? NaN
    await sleep(SETTLE_MS)
    const beforeMB = rssMegabytes(pid)
    const peakIsSinceStart = !resetPeakRss(pid)
    const burst = await streamBurst(path, agent, count)
    return { path: path.target.name, streams: count, beforeMB, peakMB: peakRssMegabytes(pid), peakIsSinceStart, failed: burst.failed }
  })
}

const machine = machineInfo()
const processes = await startBenchProcesses(process.env[PROFILE_DIR_ENV])
try {
  if (processes.sigv4ProxyAbsence !== undefined) progress(`aws-sigv4-proxy absent, not measured: ${processes.sigv4ProxyAbsence}`)
  const direct: BenchPath = { target: directTarget(processes.upstream.url) }
  const middle = middlePaths(processes)
  const gatewayAnonymous: BenchPath = { target: anonymousGatewayTarget(processes.anonymousGateway.url), proxy: processes.anonymousGateway }
  const latencyPaths = { direct, ...middle }
  const agent = createClientAgent()
  const idleRssMB = mapPaths(middle, (path) => rssMegabytes(path.proxy?.pid ?? NaN))
  const childCpuAtStart = await Promise.all(processes.all.map((child) => child.stats()))
  const ownCpuAtStart = process.cpuUsage()
  const background = backgroundLoadMeter()

  progress('saturation (autocannon)')
  const saturated = await saturation({ direct, ...middle, gatewayAnonymous }, processes.upstream, SETTINGS.saturation)
  await sleep(SETTLE_MS)
  progress(`paced ${SETTINGS.paced.rateHz} req/s`)
  const paced = await pacedConverse(latencyPaths, agent, SETTINGS.paced)
  await sleep(SETTLE_MS)
  progress(`streams started at ${SETTINGS.steadyStreams.rateHz}/s`)
  const steady = await steadyStreams(latencyPaths, agent, SETTINGS.steadyStreams)
  await sleep(SETTLE_MS)
  progress(`bursts of ${SETTINGS.burstStreams} streams`)
  const bursts = await streamBursts(latencyPaths, agent, SETTINGS.burstStreams)
  progress(`${SETTINGS.openStreams} streams open at once`)
  const openStreams = await openStreamsMemory(middle, agent, SETTINGS.openStreams)
  progress('20 MB bodies')
  const large = await eachPath(latencyPaths, (path) => largeBodies(path, agent, SETTINGS.largeBodyRequests))
  progress('saturation in front of an HTTPS upstream')
  const tlsSaturated = await saturation(middlePaths(processes.tls), processes.tls.upstream, SETTINGS.tlsSaturation)
  await agent.close()

  const childCpuAtEnd = await Promise.all(processes.all.map((child) => child.stats()))
  const ownCpu = process.cpuUsage(ownCpuAtStart)
  const childCpuMicros = childCpuAtEnd.reduce((sum, stats, index) => sum + stats.cpuMicros - (childCpuAtStart[index]?.cpuMicros ?? NaN), 0)

  const { direct: pacedDirect, ...pacedMiddle } = paced
  const pacedAdded = mapPaths(pacedMiddle, (result) => {
    const p99ByRound = result.roundP99Ms.map((p99, round) => Math.round((p99 - (pacedDirect.roundP99Ms[round] ?? NaN)) * 1000) / 1000)
    return { ...added(result.latencyMs, pacedDirect.latencyMs), p99MedianOfRounds: median(p99ByRound), p99RoundRange: range(p99ByRound), p99ByRound }
  })
  const { direct: steadyDirect, ...steadyMiddle } = steady
  const steadyAdded = mapPaths(steadyMiddle, (result) => added(result.firstByteMs, steadyDirect.firstByteMs))
  const { direct: burstDirect, ...burstMiddle } = bursts
  const burstAdded = mapPaths(burstMiddle, (result) => added(result.second.firstByteMs, burstDirect.second.firstByteMs))
  const { direct: largeDirect, ...largeMiddle } = large
  const largeBodyAddedMs = mapPaths(largeMiddle, (result) => Math.round((result.medianLatencyMs - largeDirect.medianLatencyMs) * 10) / 10)
  const peerCpu = saturated.sigv4Proxy?.proxyCpuMicrosPerRequest ?? NaN
  const tlsPeerCpu = tlsSaturated.sigv4Proxy?.proxyCpuMicrosPerRequest ?? NaN
  const floorShare = `bare pass-through x ${TARGETS.saturationCpuToBarePassThrough}`

  const report: GatewayBenchReport = {
    benchmark: 'gateway: the bench upstream direct, through a bare re-signing pass-through, aws-sigv4-proxy and the gateway (separate processes, 127.0.0.1)',
    date: new Date().toISOString(),
    smoke,
    machine,
    backgroundLoadCores: background.stop((ownCpu.user + ownCpu.system + childCpuMicros) / 1e6),
    settings: SETTINGS,
    ...(processes.sigv4ProxyAbsence === undefined ? {} : { sigv4ProxyAbsence: processes.sigv4ProxyAbsence }),
    saturation: {
      ...saturated,
      gatewayCpuToBarePassThrough: ratio(saturated.gateway.proxyCpuMicrosPerRequest, saturated.barePassThrough.proxyCpuMicrosPerRequest),
      gatewayCpuToSigv4Proxy: ratio(saturated.gateway.proxyCpuMicrosPerRequest, peerCpu)
    },
    tlsSaturation: {
      ...tlsSaturated,
      gatewayCpuToBarePassThrough: ratio(tlsSaturated.gateway.proxyCpuMicrosPerRequest, tlsSaturated.barePassThrough.proxyCpuMicrosPerRequest),
      gatewayCpuToSigv4Proxy: ratio(tlsSaturated.gateway.proxyCpuMicrosPerRequest, tlsPeerCpu)
    },
    paced: { ...paced, addedMs: pacedAdded },
    streams: {
      steady: { ...steady, addedFirstByteMs: steadyAdded },
      burst: {
        ...mapPaths(bursts, ({ second }) => second),
        addedFirstByteMs: burstAdded,
        firstBurst: mapPaths(bursts, ({ first }) => first)
      },
      open: openStreams
    },
    largeBody: { ...large, addedMs: largeBodyAddedMs },
    idleRssMB,
    targets: [
      check('gateway CPU per request at saturation, SigV4 caller verified', 'µs', saturated.gateway.proxyCpuMicrosPerRequest,
        { 'aws-sigv4-proxy': peerCpu, [floorShare]: saturated.barePassThrough.proxyCpuMicrosPerRequest * TARGETS.saturationCpuToBarePassThrough }),
      check('the same, in front of an HTTPS upstream', 'µs', tlsSaturated.gateway.proxyCpuMicrosPerRequest,
        { 'aws-sigv4-proxy': tlsPeerCpu, [floorShare]: tlsSaturated.barePassThrough.proxyCpuMicrosPerRequest * TARGETS.saturationCpuToBarePassThrough }),
      check(`added time to first byte p50, ${SETTINGS.burstStreams} streams at once`, 'ms', burstAdded.gateway.p50,
        { 'bare pass-through': burstAdded.barePassThrough.p50 }),
      check(`added time to first byte p99, ${SETTINGS.burstStreams} streams at once`, 'ms', burstAdded.gateway.p99,
        { 'bare pass-through': burstAdded.barePassThrough.p99 }),
      check(`RSS with ${SETTINGS.openStreams} streams open`, 'MB', openStreams.gateway.peakMB, { absolute: TARGETS.openStreamsRssMB }),
      check('RSS when idle after start-up', 'MB', idleRssMB.gateway, { absolute: TARGETS.idleRssMB }),
      check('time a 20 MiB InvokeModel adds', 'ms', largeBodyAddedMs.gateway, { 'bare pass-through': largeBodyAddedMs.barePassThrough }),
      check(`added p99 at a paced ${SETTINGS.paced.rateHz} req/s, median of ${SETTINGS.paced.rounds} rounds`, 'ms', pacedAdded.gateway.p99MedianOfRounds,
        { absolute: TARGETS.pacedAddedP99Ms, 'bare pass-through': pacedAdded.barePassThrough.p99MedianOfRounds })
    ],
    failedRequests: [
      ...Object.values(saturated), ...Object.values(tlsSaturated), ...Object.values(paced), ...Object.values(steady),
      ...Object.values(bursts).flatMap(({ first, second }) => [first, second]), ...Object.values(openStreams), ...Object.values(large)
    ].reduce((sum, { failed }) => sum + failed, 0)
  }
  printReport(report)
  await mkdir(dirname(resultFile), { recursive: true })
  await writeFile(resultFile, JSON.stringify(report, null, 2) + '\n')
  console.log(`written to ${resultFile}`)
  if (report.failedRequests > 0) process.exitCode = 1
} finally {
  await processes.stop()
  clearTimeout(deadline)
}
