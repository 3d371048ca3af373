/** Span exports that fail are counted and logged once per run of failures, against a real OTLP exporter. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { pino } from 'pino'
import { watchExports } from '../../src/server/trace-export-watch.ts'
import { freeLoopbackPort } from '../support/free-loopback-port.ts'

const COLLECTOR_TOKEN = 'collector-token-for-tests-only'
/** Short enough that the exporter does not retry a refused connection (its first backoff is a second). */
const EXPORT_TIMEOUT_MS = 500

/** An OTLP/HTTP receiver whose answer status the test sets; it counts the exports that reached it. */
async function startCollector (t: Test): Promise<{ url: string, status: { code: number }, received: () => number }> {
  const status = { code: 500 }
  let received = 0
  const server = createServer((request, response) => {
    void request.toArray().then(() => {
      received++
      response.writeHead(status.code, { 'content-type': 'application/json' }).end(status.code === 200 ? '{}' : `{"echo":"${COLLECTOR_TOKEN}"}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, status, received: () => received }
}

/**
 * A tracer whose every span is exported on its own, through the watched exporter; `span()` ends one and says how its
 * export went, as the SDK reports it (it rejects the flush of a failed export).
 */
function watchedTracer (t: Test, url: string) {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  let failures = 0
  const exporter = new OTLPTraceExporter({ url, headers: { authorization: `Bearer ${COLLECTOR_TOKEN}` }, timeoutMillis: EXPORT_TIMEOUT_MS })
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: watchExports(exporter, logger, () => { failures++ }) })] })
  t.teardown(() => provider.shutdown())
  const tracer = provider.getTracer('test')
  return {
    lines,
    failures: () => failures,
    async span (): Promise<'exported' | 'failed'> {
      tracer.startSpan('work').end()
      return await provider.forceFlush().then(() => 'exported', () => 'failed')
    }
  }
}

t.test('a collector answering 500: each failed export is counted, one warning says why, with no token or answer body', async (t) => {
  const collector = await startCollector(t)
  const watched = watchedTracer(t, collector.url)
  for (let i = 0; i < 3; i++) t.equal(await watched.span(), 'failed')
  t.equal(collector.received(), 3)
  t.equal(watched.failures(), 3)
  t.equal(watched.lines.length, 1)
  t.match(watched.lines[0], { level: 40, cause: 'the collector answered HTTP 500 Internal Server Error', msg: /spans could not be exported over OTLP.*bedrock_geofence_trace_export_failures_total/ })
  t.notMatch(JSON.stringify(watched.lines), COLLECTOR_TOKEN)
})

t.test('after a run of failures, the first success says so, and the next failure is a new warning', async (t) => {
  const collector = await startCollector(t)
  const watched = watchedTracer(t, collector.url)
  const results = [await watched.span(), await watched.span()]
  collector.status.code = 200
  results.push(await watched.span(), await watched.span())
  collector.status.code = 500
  results.push(await watched.span())
  t.same(results, ['failed', 'failed', 'exported', 'exported', 'failed'])
  t.equal(watched.failures(), 3)
  t.match(watched.lines.map((line) => [line.level, line.msg, line.failedExports]), [
    [40, /spans could not be exported/, undefined],
    [30, /accepts spans again/, 2],
    [40, /spans could not be exported/, undefined]
  ])
  t.equal(watched.lines.length, 3)
})

t.test('nothing listening at the endpoint: the warning names the refused connection', async (t) => {
  const watched = watchedTracer(t, `http://127.0.0.1:${await freeLoopbackPort()}/v1/traces`)
  t.equal(await watched.span(), 'failed')
  t.equal(await watched.span(), 'failed')
  t.equal(watched.failures(), 2)
  t.equal(watched.lines.length, 1)
  t.match(watched.lines[0], { cause: /ECONNREFUSED 127\.0\.0\.1:\d+/ })
})

t.test('a collector that accepts everything: nothing is logged or counted', async (t) => {
  const collector = await startCollector(t)
  collector.status.code = 200
  const watched = watchedTracer(t, collector.url)
  t.equal(await watched.span(), 'exported')
  t.equal(collector.received(), 1)
  t.equal(watched.failures(), 0)
  t.same(watched.lines, [])
})
