/** OpenTelemetry traces: received by an in-process OTLP/HTTP receiver, the way a collector would receive them. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { ConverseCommand, ListAsyncInvokesCommand } from '@aws-sdk/client-bedrock-runtime'
import { pino } from 'pino'
import { createTracer, NO_TRACING, tracingRequested } from '../../src/server/tracing.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { parsedLogLines, SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'

interface ExportedSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly kind: number
  readonly attributes: Record<string, unknown>
}

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const CALLER_SPAN_ID = '00f067aa0ba902b7'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const SERVER_KIND = 2
const CLIENT_KIND = 3

/** Accepts OTLP/HTTP JSON trace exports and keeps every span, with its attributes flattened; or refuses them with `status`. */
async function startOtlpReceiver (t: Test, status = 200): Promise<{ url: string, spans: ExportedSpan[], resources: Array<Record<string, unknown>> }> {
  const spans: ExportedSpan[] = []
  const resources: Array<Record<string, unknown>> = []
  const flatten = (attributes: Array<{ key: string, value: Record<string, unknown> }> = []): Record<string, unknown> =>
    Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]))
  const server = createServer((request, response) => {
    void request.toArray().then((chunks) => {
      const body = JSON.parse(Buffer.concat(chunks as Buffer[]).toString()) as { resourceSpans: Array<{ resource: { attributes: [] }, scopeSpans: Array<{ spans: Array<ExportedSpan & { attributes: [] }> }> }> }
      for (const resourceSpans of body.resourceSpans) {
        resources.push(flatten(resourceSpans.resource.attributes))
        for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) spans.push({ ...span, attributes: flatten(span.attributes) })
      }
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, spans, resources }
}

async function tracedGateway (t: Test, receiverStatus = 200, limits: Record<string, number> = {}) {
  const receiver = await startOtlpReceiver(t, receiverStatus)
  const harness = await startGatewayHarness(t, {
    extraYaml: inProcessLimitsYaml(limits),
    gatewayEnv: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'geofence-test' }
  })
  const client = withCallerTrace(gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', harness.gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT }))
  return { receiver, harness, client }
}

/** The client sends the caller's W3C trace context with every call. */
function withCallerTrace<C extends ReturnType<typeof gatewayClient>> (client: C): C {
  client.middlewareStack.add((next) => async (args) => {
    (args.request as { headers: Record<string, string> }).headers.traceparent = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`
    return next(args)
  }, { step: 'build', name: 'traceparent' })
  return client
}

t.test('an allowed call continues the caller\'s trace: a server span, then one span per stage, sent at shutdown', async (t) => {
  const { receiver, harness, client } = await tracedGateway(t)
  await client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: MESSAGES }))
  await harness.gateway.shutdown()
  const request = receiver.spans.find((span) => span.kind === SERVER_KIND)
  t.match(request, {
    traceId: CALLER_TRACE_ID,
    parentSpanId: CALLER_SPAN_ID,
    name: 'bedrock request Converse',
    attributes: { 'bedrock_geofence.client': SIGV4_CLIENT.name, 'bedrock_geofence.decision': 'allowed', 'rpc.method': 'Converse', 'cloud.region': 'us-east-1', 'gen_ai.request.model': 'anthropic.claude-3-haiku-20240307-v1:0', 'http.response.status_code': 200 }
  })
  const children = receiver.spans.filter((span) => span.parentSpanId === request?.spanId)
  t.same(children.map((span) => span.name), ['authenticate', 'understand', 'routing lookup', 'decide', 'upstream call'])
  t.equal(children.find((span) => span.name === 'upstream call')?.kind, CLIENT_KIND)
  t.match(receiver.resources[0], { 'service.name': 'geofence-test' })
})

t.test('a refused call is traced up to its decision, with the reason', async (t) => {
  const { receiver, harness, client } = await tracedGateway(t)
  await t.rejects(client.send(new ConverseCommand({ modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0', messages: MESSAGES })))
  await harness.gateway.shutdown()
  const request = receiver.spans.find((span) => span.kind === SERVER_KIND)
  t.match(request?.attributes, { 'bedrock_geofence.decision': 'denied', 'bedrock_geofence.reason': 'PROFILE_PREFIX_NOT_ALLOWED', 'http.response.status_code': 403, 'error.type': 'AccessDeniedException' })
  t.same(receiver.spans.filter((span) => span.parentSpanId === request?.spanId).map((span) => span.name), ['authenticate', 'understand', 'routing lookup', 'decide'])
  t.equal(harness.fake.requests.length, 0)
})

t.test('a call refused before its body is read is traced too, with the stage that refused it and why', async (t) => {
  const { receiver, harness } = await tracedGateway(t)
  const inEurope = withCallerTrace(gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', harness.gateway.url, { region: 'eu-west-1', credentials: SIGV4_CLIENT }))
  await t.rejects(inEurope.send(new ListAsyncInvokesCommand({})), { name: 'AccessDeniedException' })
  const stranger = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', harness.gateway.url, { region: 'us-east-1' })
  await t.rejects(stranger.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: MESSAGES })), { name: 'UnrecognizedClientException' })
  await harness.gateway.shutdown()
  const requests = receiver.spans.filter((span) => span.kind === SERVER_KIND)
  const stagesOf = (request: ExportedSpan | undefined): string[] =>
    receiver.spans.filter((span) => span.parentSpanId === request?.spanId).map((span) => span.name)
  const listing = requests.find((span) => span.attributes['bedrock_geofence.client'] === SIGV4_CLIENT.name)
  t.match(listing, {
    traceId: CALLER_TRACE_ID,
    name: 'bedrock request ListAsyncInvokes',
    attributes: { 'bedrock_geofence.decision': 'denied', 'bedrock_geofence.reason': 'REGION_NOT_ALLOWED', 'cloud.region': 'eu-west-1', 'http.response.status_code': 403, 'error.type': 'AccessDeniedException' }
  })
  t.same(stagesOf(listing), ['decide'])
  const unknown = requests.find((span) => span.attributes['bedrock_geofence.client'] === 'unauthenticated')
  t.match(unknown?.attributes, { 'http.response.status_code': 403, 'error.type': 'UnrecognizedClientException' })
  t.same(stagesOf(unknown), ['authenticate'])
  t.equal(requests.length, 2, 'one trace per request')
  t.equal(harness.fake.requests.length, 0)
})

t.test('a body the framework refuses for its size is traced too, under the client its headers named', async (t) => {
  const maxBodyBytes = 1000
  const { receiver, harness, client } = await tracedGateway(t, 200, { maxBodyBytes })
  const oversized = [{ role: 'user' as const, content: [{ text: 'x'.repeat(maxBodyBytes) }] }]
  await t.rejects(client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: oversized })))
  await harness.gateway.shutdown()
  const request = receiver.spans.find((span) => span.kind === SERVER_KIND)
  t.match(request, { traceId: CALLER_TRACE_ID, attributes: { 'bedrock_geofence.client': SIGV4_CLIENT.name, 'http.response.status_code': 413 } })
  t.same(receiver.spans.filter((span) => span.parentSpanId === request?.spanId).map((span) => span.name), ['framework'])
  t.equal(harness.fake.requests.length, 0)
})

t.test('a collector that refuses the spans: one warning with its answer, and the failure counted', async (t) => {
  const { harness, client } = await tracedGateway(t, 500)
  await client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: MESSAGES }))
  await harness.gateway.shutdown()
  const warnings = parsedLogLines(harness).filter((line) => /spans could not be exported/.test(String(line.msg)))
  t.equal(warnings.length, 1)
  t.match(warnings[0], { cause: 'the collector answered HTTP 500 Internal Server Error' })
  t.match(await harness.gateway.metrics.registry.getSingleMetricAsString('bedrock_geofence_trace_export_failures_total'), /^bedrock_geofence_trace_export_failures_total 1$/m)
})

t.test('tracing is off unless the OTEL_* variables ask for an OTLP exporter', async (t) => {
  t.equal(tracingRequested({}), false)
  t.equal(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), true)
  t.equal(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' }), true)
  t.equal(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }), false)
  t.equal(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }), false)
})

t.test('an OTLP protocol the gateway cannot speak turns tracing off, saying so', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  t.equal(await createTracer({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, logger, () => {}), NO_TRACING)
  t.match(lines, [{ protocol: 'grpc', msg: /tracing is off: the OTLP protocol must be http\/protobuf or http\/json/ }])
})
