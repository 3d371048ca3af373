/**
 * What an operator's Prometheus sees: a scripted mix of allowed, denied, failed and streaming calls through the
 * gateway with the real AWS SDK, then one scrape of the admin listener's /metrics over HTTP.
 */
import { Transform, pipeline, type Readable } from 'node:stream'
import t from 'tap'
import type { Test } from 'tap'
import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClient
} from '@aws-sdk/client-bedrock-runtime'
import { loadConfig } from '../../src/config/load-config.ts'
import { startGateway, type RunningGateway } from '../../src/server/serve.ts'
import { FAKE_UPSTREAM_CREDENTIALS, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock/index.ts'
import { writeConfig } from '../support/config-file.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { NARROW_CLIENT, SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../support/gateway-harness.ts'
import { parseExposition, sumOf, valueOf, type Sample } from '../support/prometheus-text.ts'
import { pino } from 'pino'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const US_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
/** Only ever sent in refused requests: it must never become a label value. */
const REFUSED_MODEL = 'anthropic.claude-refused-probe-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Count my tokens, please.' }] }]
const ANTHROPIC_BODY = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'hello there' }] })
const CREDENTIAL_LIFETIME_SECONDS = 3600
const PROMETHEUS_TEXT_FORMAT = 'text/plain; version=0.0.4'

interface Usage { input: number, output: number }

/** Body bytes per operation, as the SDK sent them and received them, counted on the wire side of its deserializer. */
class ByteTally {
  readonly sent = new Map<string, number>()
  readonly received = new Map<string, number>()

  add (map: Map<string, number>, operation: string, bytes: number): void {
    map.set(operation, (map.get(operation) ?? 0) + bytes)
  }

  /** Counts every request body `client` sends, and (when `countReceived`) every response body it reads. */
  attach (client: BedrockRuntimeClient, options: { countReceived: boolean }): void {
    client.middlewareStack.add((next, context) => async (args) => {
      const operation = (context.commandName ?? 'unknown').replace(/Command$/, '')
      const { body } = args.request as { body?: string | Uint8Array }
      this.add(this.sent, operation, body === undefined ? 0 : Buffer.byteLength(body))
      const result = await next(args)
      const response = result.response as { body?: Readable }
      if (options.countReceived && response.body !== undefined) {
        const counter = new Transform({
          transform: (chunk: Buffer, _encoding, done) => {
            this.add(this.received, operation, chunk.length)
            done(null, chunk)
          }
        })
        response.body = pipeline(response.body, counter, () => {})
      }
      return result
    }, { step: 'deserialize', priority: 'low', name: 'countBodyBytes' })
  }
}

async function scrape (gateway: RunningGateway): Promise<{ samples: Sample[]; contentType: string | null }> {
  const response = await fetch(`${gateway.adminUrl}/metrics`)
  return { samples: parseExposition(await response.text()), contentType: response.headers.get('content-type') }
}

async function errorName (call: Promise<unknown>): Promise<string> {
  return call.then(() => 'no error', (error: Error) => error.name)
}

async function startMeteredGateway (t: Test): Promise<{ fake: FakeBedrock; gateway: RunningGateway }> {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const config = await loadConfig(writeConfig(t, testConfigYaml(fake.url, inProcessLimitsYaml())), TEST_ENV)
  const gateway = await startGateway(config, {
    credentialProvider: async () => ({ ...FAKE_UPSTREAM_CREDENTIALS, expiration: new Date(Date.now() + CREDENTIAL_LIFETIME_SECONDS * 1000) }),
    logger: pino({ level: 'silent' })
  })
  t.teardown(() => gateway.shutdown())
  return { fake, gateway }
}

t.test('after a mix of calls, /metrics counts each one where an operator would look for it', async (t) => {
  const { fake, gateway } = await startMeteredGateway(t)
  const bytes = new ByteTally()
  const tokens = new Map<string, Usage>()
  const addTokens = (model: string, usage: Usage): void => {
    const sum = tokens.get(model) ?? { input: 0, output: 0 }
    tokens.set(model, { input: sum.input + usage.input, output: sum.output + usage.output })
  }
  const allowed = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  bytes.attach(allowed, { countReceived: true })

  // Allowed: two Converse calls and one Bedrock throttles (429), each operation with its own usage channel.
  for (let i = 0; i < 2; i++) {
    const reply = await allowed.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }))
    addTokens(CLAUDE, { input: reply.usage?.inputTokens ?? NaN, output: reply.usage?.outputTokens ?? NaN })
  }
  fake.nextFault({ kind: 'error', errorType: 'ThrottlingException' })
  t.equal(await errorName(allowed.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }))), 'ThrottlingException')

  const stream = await allowed.send(new ConverseStreamCommand({ modelId: US_PROFILE, messages: MESSAGES }))
  let streamsDuringStream: number | undefined
  for await (const event of stream.stream ?? []) {
    streamsDuringStream ??= valueOf((await scrape(gateway)).samples, 'bedrock_geofence_streams_in_flight')
    if (event.metadata?.usage !== undefined) addTokens(US_PROFILE, { input: event.metadata.usage.inputTokens ?? NaN, output: event.metadata.usage.outputTokens ?? NaN })
  }

  const invoked = await allowed.send(new InvokeModelCommand({ modelId: CLAUDE, body: ANTHROPIC_BODY, contentType: 'application/json' }))
  const invokedUsage = (JSON.parse(Buffer.from(invoked.body).toString('utf8')) as { usage: { input_tokens: number, output_tokens: number } }).usage
  addTokens(CLAUDE, { input: invokedUsage.input_tokens, output: invokedUsage.output_tokens })

  const invokedStream = await allowed.send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: ANTHROPIC_BODY, contentType: 'application/json' }))
  for await (const event of invokedStream.body ?? []) {
    const chunk = JSON.parse(Buffer.from(event.chunk?.bytes ?? new Uint8Array()).toString('utf8')) as Record<string, { inputTokenCount: number, outputTokenCount: number } | undefined>
    const metrics = chunk['amazon-bedrock-invocationMetrics']
    if (metrics !== undefined) addTokens(CLAUDE, { input: metrics.inputTokenCount, output: metrics.outputTokenCount })
  }

  // Refused: a region outside the allowlist, a profile prefix the narrowed client may not use, an unknown key.
  const outside = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'eu-central-1', credentials: SIGV4_CLIENT })
  bytes.attach(outside, { countReceived: false })
  t.equal(await errorName(outside.send(new ConverseCommand({ modelId: REFUSED_MODEL, messages: MESSAGES }))), 'AccessDeniedException')
  const narrow = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'eu-west-2', credentials: NARROW_CLIENT })
  bytes.attach(narrow, { countReceived: false })
  t.equal(await errorName(narrow.send(new ConverseCommand({ modelId: US_PROFILE, messages: MESSAGES }))), 'AccessDeniedException')
  const stranger = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, {
    region: 'us-east-1',
    credentials: { accessKeyId: 'GEOFENCENOSUCHKEY001', secretAccessKey: 'never-issued' }
  })
  t.equal(await errorName(stranger.send(new ConverseCommand({ modelId: REFUSED_MODEL, messages: MESSAGES }))), 'UnrecognizedClientException')

  const { samples, contentType } = await scrape(gateway)
  t.equal(contentType?.split(';').slice(0, 2).join(';'), PROMETHEUS_TEXT_FORMAT, 'served as Prometheus text format')

  t.test('requests by operation, region, client, decision and reason', async (t) => {
    const requests = 'bedrock_geofence_requests_total'
    const allowedBy = (operation: string, region: string) => ({ operation, region, client: SIGV4_CLIENT.name, decision: 'allowed', reason: 'ALLOWED' })
    t.equal(valueOf(samples, requests, allowedBy('Converse', 'us-east-1')), 3, 'the throttled call was allowed too')
    t.equal(valueOf(samples, requests, allowedBy('ConverseStream', 'us-east-1')), 1)
    t.equal(valueOf(samples, requests, allowedBy('InvokeModel', 'us-east-1')), 1)
    t.equal(valueOf(samples, requests, allowedBy('InvokeModelWithResponseStream', 'us-east-1')), 1)
    t.equal(valueOf(samples, requests, { operation: 'Converse', region: 'eu-central-1', client: SIGV4_CLIENT.name, decision: 'denied', reason: 'REGION_NOT_ALLOWED' }), 1)
    t.equal(valueOf(samples, requests, { operation: 'Converse', region: 'eu-west-2', client: NARROW_CLIENT.name, decision: 'denied', reason: 'PROFILE_PREFIX_NOT_ALLOWED' }), 1)
    t.equal(valueOf(samples, requests, { client: 'unauthenticated', decision: 'unauthenticated', reason: 'NONE' }), 1)
    t.equal(sumOf(samples, requests), 9, 'nine calls, nine counts')
  })

  t.test('upstream status codes, latency and time to first byte', async (t) => {
    const responses = 'bedrock_geofence_upstream_responses_total'
    t.equal(valueOf(samples, responses, { operation: 'Converse', status: '200' }), 2)
    t.equal(valueOf(samples, responses, { operation: 'Converse', status: '429' }), 1)
    t.equal(sumOf(samples, responses, { status: '200' }), 5)
    t.equal(sumOf(samples, responses), fake.requests.length, 'one upstream response per request Bedrock received, none for refusals')
    for (const [operation, count] of [['Converse', 3], ['ConverseStream', 1], ['InvokeModel', 1], ['InvokeModelWithResponseStream', 1]] as const) {
      t.equal(valueOf(samples, 'bedrock_geofence_upstream_latency_seconds_count', { operation }), count, `${operation} latency observations`)
      t.equal(valueOf(samples, 'bedrock_geofence_upstream_ttfb_seconds_count', { operation }), count, `${operation} first-byte observations`)
    }
    const streamRecord = fake.requests.find((record) => record.operation === 'ConverseStream')
    const streamSpanSeconds = ((streamRecord?.framesSentAt.at(-1) ?? 0) - (streamRecord?.framesSentAt[0] ?? 0)) / 1000
    const latency = valueOf(samples, 'bedrock_geofence_upstream_latency_seconds_sum', { operation: 'ConverseStream' }) ?? 0
    const ttfb = valueOf(samples, 'bedrock_geofence_upstream_ttfb_seconds_sum', { operation: 'ConverseStream' }) ?? Infinity
    t.ok(streamSpanSeconds > 0 && latency >= streamSpanSeconds, `the stream's latency (${latency} s) covers all its frames (${streamSpanSeconds} s)`)
    t.ok(ttfb < latency, 'its first byte came before its end')
  })

  t.test('streams in flight go up during a stream and back to 0', async (t) => {
    t.equal(streamsDuringStream, 1)
    t.equal(valueOf(samples, 'bedrock_geofence_streams_in_flight'), 0)
    t.equal(valueOf(samples, 'bedrock_geofence_requests_in_flight'), 0)
  })

  t.test('bytes in and out per operation equal what the SDK sent and read', async (t) => {
    for (const [operation, sent] of bytes.sent) {
      t.equal(valueOf(samples, 'bedrock_geofence_request_bytes_total', { operation }), sent, `${operation} bytes in`)
    }
    t.equal(valueOf(samples, 'bedrock_geofence_request_bytes_total', { operation: 'unknown' }), 0,
      'an unauthenticated body is refused before it is read, and none of its bytes count')
    for (const [operation, received] of bytes.received) {
      t.equal(valueOf(samples, 'bedrock_geofence_response_bytes_total', { operation }), received, `${operation} bytes out`)
    }
    t.ok((bytes.received.get('ConverseStream') ?? 0) > 0)
  })

  t.test('tokens by model and client equal what Bedrock reported to the SDK', async (t) => {
    t.equal(tokens.size, 2)
    for (const [model, usage] of tokens) {
      const labels = { model, client: SIGV4_CLIENT.name }
      t.equal(valueOf(samples, 'bedrock_geofence_tokens_total', { ...labels, direction: 'input' }), usage.input, `${model} input`)
      t.equal(valueOf(samples, 'bedrock_geofence_tokens_total', { ...labels, direction: 'output' }), usage.output, `${model} output`)
    }
    t.equal(samples.filter((sample) => sample.name === 'bedrock_geofence_tokens_total').length, 4, 'no other model or client')
    const leaked = samples.filter((sample) => Object.values(sample.labels).some((value) => value.includes('refused-probe')))
    t.same(leaked, [], 'a model id from a refused request is no label value anywhere')
  })

  t.test('reloads, shedding and the credentials\' remaining life', async (t) => {
    t.equal(valueOf(samples, 'bedrock_geofence_config_reloads_total', { result: 'success' }), 0)
    t.equal(valueOf(samples, 'bedrock_geofence_config_reloads_total', { result: 'failure' }), 0)
    t.equal(sumOf(samples, 'bedrock_geofence_shed_requests_total'), 0)
    const expiry = valueOf(samples, 'bedrock_geofence_credentials_expiry_seconds') ?? 0
    t.ok(expiry > CREDENTIAL_LIFETIME_SECONDS - 60 && expiry <= CREDENTIAL_LIFETIME_SECONDS, `credentials expire in ${expiry} s`)
    t.ok((valueOf(samples, 'process_resident_memory_bytes') ?? 0) > 0, 'the process defaults are there')
  })
})
