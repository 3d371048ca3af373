/**
 * InvokeModelWithBidirectionalStream: what checking and re-signing every event costs. One process holds a caller,
 * the fake Bedrock (which verifies every envelope and echoes each event) and, in turn, three paths to it:
 *   direct     the caller talks to the fake itself
 *   relay      a plain HTTP/2 relay that passes the caller's bytes as they are, re-signing nothing
 *   gateway    bedrock-geofence: the caller's chain verified, every event re-signed on the gateway's own chain
 * Each event is sent only once the one before has come back, so a round's time per event is the path's latency per
 * event; the process's CPU time over the round, per event, is what the whole round cost (caller and fake included,
 * the same on every path), so the difference between two paths is what the one adds.
 *   node --import tsx bench/bidirectional.ts        (or `npm run bench -- bidi`)
 * BENCH_BIDI_EVENTS (default 2000) events per round, BENCH_BIDI_ROUNDS (default 5) rounds per path.
 */
import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { pino } from 'pino'
import { loadConfig } from '../src/config/load-config.ts'
import { startGateway } from '../src/server/serve.ts'
import { FAKE_UPSTREAM_CREDENTIALS, startFakeBidirectional } from '../test/support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../test/support/gateway-harness.ts'
import { BIDIRECTIONAL_OPERATION, innerChunkEvent, RawBidirectionalCaller } from '../test/support/bidirectional-harness.ts'
import { machineInfo } from './gateway/machine.ts'
import { median } from './gateway/percentiles.ts'

const RESULT_FILE = fileURLToPath(new URL('./results/bidi.json', import.meta.url))
const EVENTS = Number(process.env.BENCH_BIDI_EVENTS ?? 2000)
const ROUNDS = Number(process.env.BENCH_BIDI_ROUNDS ?? 5)
const WARM_UP_EVENTS = 200
/** A Nova Sonic audio event is a few KB of base64 audio in JSON. */
const EVENT_PAYLOAD = innerChunkEvent(Buffer.from(JSON.stringify({ event: { audioInput: { content: 'A'.repeat(2048) } } })))

interface Round {
  readonly msPerEvent: number
  readonly cpuMicrosecondsPerEvent: number
}

/** An HTTP/2 relay that re-signs nothing: the caller's headers and bytes go upstream as they are, and back. */
async function startPlainRelay (upstreamUrl: string): Promise<{ url: string, close: () => void }> {
  const upstream = http2.connect(upstreamUrl)
  const server = http2.createServer()
  server.on('stream', (stream, headers) => {
    const { ':scheme': _scheme, ...forwarded } = headers
    const out = upstream.request(forwarded)
    out.on('response', (responseHeaders) => {
      const { ':status': status, ...rest } = responseHeaders
      stream.respond({ ':status': status, ...rest })
      out.pipe(stream)
    })
    stream.pipe(out)
    stream.on('error', () => out.destroy())
    out.on('error', () => stream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => { server.close(); upstream.destroy() } }
}

async function round (url: string, events: number): Promise<Round> {
  const caller = await RawBidirectionalCaller.open({ url, cert: '' })
  for (let n = 0; n < WARM_UP_EVENTS; n++) {
    caller.send(caller.envelope(EVENT_PAYLOAD))
    await caller.waitForFrames(n + 1)
  }
  const cpuBefore = process.cpuUsage()
  const startedAt = performance.now()
  for (let n = 0; n < events; n++) {
    caller.send(caller.envelope(EVENT_PAYLOAD))
    await caller.waitForFrames(WARM_UP_EVENTS + n + 1)
  }
  const elapsedMs = performance.now() - startedAt
  const cpu = process.cpuUsage(cpuBefore)
  caller.end()
  await caller.answer
  caller.close()
  return { msPerEvent: elapsedMs / events, cpuMicrosecondsPerEvent: (cpu.user + cpu.system) / events }
}

const fake = await startFakeBidirectional({ credentials: [FAKE_UPSTREAM_CREDENTIALS, SIGV4_CLIENT] })
const relay = await startPlainRelay(fake.url)
const configDir = await mkdtemp(join(tmpdir(), 'geofence-bidi-bench-'))
const configPath = join(configDir, 'geofence.yaml')
await writeFile(configPath, testConfigYaml(fake.url, 'limits: { maxEventLoopDelayMs: 0 }', fake.url, fake.url, [BIDIRECTIONAL_OPERATION]))
const config = await loadConfig(configPath, TEST_ENV)
const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger: pino({ level: 'silent' }), env: {} })

const paths: Readonly<Record<string, string>> = { direct: fake.url, relay: relay.url, gateway: gateway.url }
const rounds: Record<string, Round[]> = { direct: [], relay: [], gateway: [] }
// Paths take turns, round by round, so that a change in the machine's load falls on all of them alike.
for (let n = 0; n < ROUNDS; n++) {
  for (const [name, url] of Object.entries(paths)) rounds[name]?.push(await round(url, EVENTS))
}
await gateway.shutdown()
relay.close()
await fake.close()
await rm(configDir, { recursive: true, force: true })

const summary = Object.fromEntries(Object.entries(rounds).map(([name, measured]) => [name, {
  msPerEvent: median(measured.map((one) => one.msPerEvent)),
  cpuMicrosecondsPerEvent: median(measured.map((one) => one.cpuMicrosecondsPerEvent))
}])) as Record<'direct' | 'relay' | 'gateway', { msPerEvent: number, cpuMicrosecondsPerEvent: number }>
const report = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  eventsPerRound: EVENTS,
  rounds: ROUNDS,
  eventPayloadBytes: EVENT_PAYLOAD.length,
  medians: summary,
  gatewayAddsOverRelay: {
    msPerEvent: summary.gateway.msPerEvent - summary.relay.msPerEvent,
    cpuMicrosecondsPerEvent: summary.gateway.cpuMicrosecondsPerEvent - summary.relay.cpuMicrosecondsPerEvent
  },
  allRounds: rounds
}
await mkdir(dirname(RESULT_FILE), { recursive: true })
await writeFile(RESULT_FILE, JSON.stringify(report, null, 2) + '\n')
console.log(JSON.stringify({ medians: report.medians, gatewayAddsOverRelay: report.gatewayAddsOverRelay }, null, 2))
