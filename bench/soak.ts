/**
 * Soak: the gateway as its own process under steady mixed load for a long time, sampling what would show a leak.
 *   node --import tsx bench/soak.ts [--minutes 30] [--rate 300] [--streams 20] [--sample-seconds 10]
 * Unary Converse calls at `rate` a second (at most 200 in flight) and `streams` ConverseStream callers that start a
 * new stream as soon as one ends, all signed as the gateway's SigV4 client, against the bench's stand-in upstream.
 * Every sample prints the gateway's RSS and open file descriptors (read from /proc), its heap in use and event-loop
 * delay p99 (from its own /metrics), and the calls completed and failed since the last one; the end prints the trend.
 * Not run in CI. Loopback only.
 */
import { readdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { compileBenchChildren, compiledChild } from './gateway/compile-children.ts'
import { signedGatewayTarget } from './gateway/load-target.ts'
import { spawnMeasured } from './gateway/measured-process.ts'
import { rssMegabytes } from './gateway/process-memory.ts'
import { createClientAgent, timedRequest } from './gateway/timed-request.ts'
import { CONVERSE_PATH, CONVERSE_REQUEST_BODY, CONVERSE_STREAM_PATH, GATEWAY_CLIENT, LOOPBACK_HOST } from './gateway/workload.ts'

const SECRET_ENV = 'SOAK_GATEWAY_SECRET'
const MAX_UNARY_IN_FLIGHT = 200
const TICK_MS = 10
const MIB = 1024 * 1024

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '300' },
    streams: { type: 'string', default: '20' },
    'sample-seconds': { type: 'string', default: '10' }
  }
})
const durationMs = Number(values.minutes) * 60_000
const rate = Number(values.rate)
const streamCallers = Number(values.streams)
const sampleMs = Number(values['sample-seconds']) * 1000

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK_HOST, resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** One value of the gateway's own Prometheus text, e.g. `nodejs_heap_size_used_bytes`. */
function metricValue (text: string, name: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `))
  return Number(line?.split(' ')[1])
}

interface Sample {
  readonly minute: number
  readonly rssMb: number
  readonly heapMb: number
  readonly fds: number
  readonly loopP99Ms: number
  readonly completed: number
  readonly failed: number
}

await compileBenchChildren()
const configDir = await mkdtemp(join(tmpdir(), 'soak-'))
const upstream = await spawnMeasured({ name: 'upstream', script: compiledChild('upstream-process') })
const adminPort = await freePort()
const configFile = join(configDir, 'geofence.yaml')
await writeFile(configFile, `allow:
  regions: [us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1]
  inferenceProfilePrefixes: [us]
  operations: [Converse, ConverseStream]
listen: { host: ${LOOPBACK_HOST}, port: 0 }
admin: { host: ${LOOPBACK_HOST}, port: ${adminPort} }
limits: { maxEventLoopDelayMs: 0 }
log: { level: warn }
upstream:
  endpoint: "${upstream.url}"
clients:
  - name: ${GATEWAY_CLIENT.name}
    accessKeyId: ${GATEWAY_CLIENT.accessKeyId}
    secretAccessKey: \${env:${SECRET_ENV}}
`)
const gateway = await spawnMeasured({
  name: 'gateway',
  script: compiledChild('gateway-process'),
  args: [configFile],
  env: { ...process.env, [SECRET_ENV]: GATEWAY_CLIENT.secretAccessKey }
})
const target = signedGatewayTarget(gateway.url)
const agent = createClientAgent()
const startedAt = performance.now()
const endsAt = startedAt + durationMs
let completed = 0
let failed = 0
let unaryInFlight = 0
const failures = new Map<string, number>()

function count (ok: boolean, error: string | undefined): void {
  if (ok) completed++
  else {
    failed++
    const key = error ?? 'unknown'
    failures.set(key, (failures.get(key) ?? 0) + 1)
  }
}

async function streamCaller (): Promise<void> {
  while (performance.now() < endsAt) {
    const timing = await timedRequest(agent, target, { path: CONVERSE_STREAM_PATH, body: CONVERSE_REQUEST_BODY }, performance.now())
    count(timing.ok, timing.error)
  }
}

const perTick = rate * TICK_MS / 1000
let owed = 0
const unaryTimer = setInterval(() => {
  owed += perTick
  while (owed >= 1 && unaryInFlight < MAX_UNARY_IN_FLIGHT) {
    owed--
    unaryInFlight++
    void timedRequest(agent, target, { path: CONVERSE_PATH, body: CONVERSE_REQUEST_BODY }, performance.now()).then((timing) => {
      unaryInFlight--
      count(timing.ok, timing.error)
    })
  }
  if (owed > perTick) owed = perTick
}, TICK_MS)

const samples: Sample[] = []
let lastCompleted = 0
let lastFailed = 0
async function takeSample (): Promise<void> {
  const metrics = await (await fetch(`http://${LOOPBACK_HOST}:${adminPort}/metrics`)).text()
  const sample: Sample = {
    minute: (performance.now() - startedAt) / 60_000,
    rssMb: rssMegabytes(gateway.pid),
    heapMb: metricValue(metrics, 'nodejs_heap_size_used_bytes') / MIB,
    fds: readdirSync(`/proc/${gateway.pid}/fd`).length,
    loopP99Ms: metricValue(metrics, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    completed: completed - lastCompleted,
    failed: failed - lastFailed
  }
  lastCompleted = completed
  lastFailed = failed
  samples.push(sample)
  console.log(`${sample.minute.toFixed(1).padStart(5)} min  rss ${sample.rssMb.toFixed(1).padStart(6)} MB  heap ${sample.heapMb.toFixed(1).padStart(5)} MB  ` +
    `fds ${String(sample.fds).padStart(4)}  loop p99 ${sample.loopP99Ms.toFixed(1).padStart(6)} ms  ok ${sample.completed}  failed ${sample.failed}`)
}

/** Least-squares slope of `value` per minute over the samples given. */
function slopePerMinute (points: readonly Sample[], value: (sample: Sample) => number): number {
  const meanX = points.reduce((sum, point) => sum + point.minute, 0) / points.length
  const meanY = points.reduce((sum, point) => sum + value(point), 0) / points.length
  const numerator = points.reduce((sum, point) => sum + (point.minute - meanX) * (value(point) - meanY), 0)
  const denominator = points.reduce((sum, point) => sum + (point.minute - meanX) ** 2, 0)
  return denominator === 0 ? 0 : numerator / denominator
}

console.log(`soak: ${values.minutes} min, ${rate} unary calls/s, ${streamCallers} continuous streams, gateway pid ${gateway.pid}`)
const sampler = setInterval(() => { void takeSample() }, sampleMs)
try {
  await Promise.all(Array.from({ length: streamCallers }, () => streamCaller()))
  clearInterval(unaryTimer)
  // eslint-disable-next-line no-unmodified-loop-condition -- each unary call's callback counts it down while this waits
  while (unaryInFlight > 0) await new Promise((resolve) => setTimeout(resolve, TICK_MS))
  clearInterval(sampler)
  await takeSample()
} finally {
  clearInterval(unaryTimer)
  clearInterval(sampler)
  await agent.close()
  await gateway.stop()
  await upstream.stop()
  await rm(configDir, { recursive: true, force: true })
}

// The first samples include warm-up (JIT, pools filling); the trend is read over the second half.
const settled = samples.slice(Math.floor(samples.length / 2))
console.log(`\ncalls: ${completed} ok, ${failed} failed${failures.size === 0 ? '' : ` (${[...failures].map(([error, times]) => `${error}: ${times}`).join('; ')})`}`)
console.log(`rss: ${samples[0]?.rssMb.toFixed(1)} MB at the first sample, ${samples.at(-1)?.rssMb.toFixed(1)} MB at the end, ` +
  `max ${Math.max(...samples.map((sample) => sample.rssMb)).toFixed(1)} MB; second-half trend ${slopePerMinute(settled, (sample) => sample.rssMb).toFixed(2)} MB/min`)
console.log(`heap in use: second-half trend ${slopePerMinute(settled, (sample) => sample.heapMb).toFixed(2)} MB/min; ` +
  `fds: ${Math.min(...samples.map((sample) => sample.fds))}-${Math.max(...samples.map((sample) => sample.fds))}; ` +
  `event-loop delay p99: max ${Math.max(...samples.map((sample) => sample.loopP99Ms)).toFixed(1)} ms`)
