import t from 'tap'
import type { NamedIdentifier } from '../../src/bedrock/identifier-types.ts'
import type { CredentialStatus } from '../../src/upstream/credentials.ts'
import {
  createMetrics,
  modelLabel,
  type GeofenceMetrics,
  type MetricsOptions,
  type RequestDecision
} from '../../src/server/metrics.ts'
import { parseExposition, valueOf, type Sample } from '../support/prometheus-text.ts'

const NOW = Date.parse('2026-11-27T12:00:00Z')
const CLIENTS = new Set(['litellm', 'batch-tool'])

function metricsWith (overrides: Partial<MetricsOptions> = {}): GeofenceMetrics {
  return createMetrics({
    configuredClients: () => CLIENTS,
    credentials: () => ({ ok: true, expiresAt: new Date(NOW + 3_600_000) }),
    inFlight: () => ({ size: 0, streams: 0, bidirectionalStreams: 0 }),
    now: () => NOW,
    ...overrides
  })
}

async function scrape (metrics: GeofenceMetrics): Promise<Sample[]> {
  return parseExposition(await metrics.registry.metrics())
}

function request (decision: RequestDecision, reason: string, client = 'litellm') {
  return { operation: 'Converse', region: 'eu-west-2', client, decision, reason }
}

const CLAUDE: readonly NamedIdentifier[] = [{ location: 'path.modelId', id: { kind: 'foundation-model', text: 'anthropic.claude-3-5-sonnet-20241022-v2:0' } }]

t.test('requests are counted per operation, region, client, decision and reason', async (t) => {
  const metrics = metricsWith()
  for (let i = 0; i < 3; i++) metrics.recordRequest(request('allowed', 'ALLOWED'))
  metrics.recordRequest(request('denied', 'REGION_NOT_ALLOWED'))
  metrics.recordRequest(request('denied', 'REGION_NOT_ALLOWED', 'batch-tool'))
  const samples = await scrape(metrics)
  const name = 'bedrock_geofence_requests_total'
  t.equal(valueOf(samples, name, { operation: 'Converse', region: 'eu-west-2', client: 'litellm', decision: 'allowed', reason: 'ALLOWED' }), 3)
  t.equal(valueOf(samples, name, { client: 'litellm', decision: 'denied', reason: 'REGION_NOT_ALLOWED' }), 1)
  t.equal(valueOf(samples, name, { client: 'batch-tool', decision: 'denied', reason: 'REGION_NOT_ALLOWED' }), 1)
})

t.test('caller-controlled values never become label values of their own', async (t) => {
  const metrics = metricsWith()
  metrics.recordRequest({ operation: 'DeleteEverything', region: 'xx-evil-9', client: 'mallory', decision: 'unauthenticated', reason: 'SOMETHING_MADE_UP' })
  const samples = (await scrape(metrics)).filter((s) => s.name === 'bedrock_geofence_requests_total')
  t.same(samples.map((s) => s.labels), [{ operation: 'unknown', region: 'other', client: 'unauthenticated', decision: 'unauthenticated', reason: 'NONE' }])
})

t.test('a client removed from the config stops being a label value at once', async (t) => {
  let clients: ReadonlySet<string> = CLIENTS
  const metrics = metricsWith({ configuredClients: () => clients })
  clients = new Set(['batch-tool'])
  metrics.recordRequest(request('allowed', 'ALLOWED', 'litellm'))
  t.equal(valueOf(await scrape(metrics), 'bedrock_geofence_requests_total', { client: 'unauthenticated' }), 1)
})

t.test('an open gateway with no clients labels its callers anonymous', async (t) => {
  const metrics = metricsWith({ configuredClients: () => new Set() })
  metrics.recordRequest(request('allowed', 'ALLOWED', 'anonymous'))
  t.equal(valueOf(await scrape(metrics), 'bedrock_geofence_requests_total', { client: 'anonymous' }), 1)
})

t.test('upstream responses are counted by status and timed in both histograms', async (t) => {
  const metrics = metricsWith()
  metrics.recordUpstreamResponse({ operation: 'ConverseStream', status: 200, latencySeconds: 12, timeToFirstByteSeconds: 0.3 })
  metrics.recordUpstreamResponse({ operation: 'ConverseStream', status: 429, latencySeconds: 0.02, timeToFirstByteSeconds: 0.02 })
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_responses_total', { operation: 'ConverseStream', status: '200' }), 1)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_responses_total', { operation: 'ConverseStream', status: '429' }), 1)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_latency_seconds_count', { operation: 'ConverseStream' }), 2)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_latency_seconds_sum', { operation: 'ConverseStream' }), 12.02)
  const ttfb = 'bedrock_geofence_upstream_ttfb_seconds_bucket'
  t.equal(valueOf(samples, ttfb, { le: '0.25' }), 1, 'only the 20 ms answer is under 250 ms')
  t.equal(valueOf(samples, ttfb, { le: '0.5' }), 2)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_latency_seconds_bucket', { le: '10' }), 1, 'the 12 s stream is over 10 s')
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_latency_seconds_bucket', { le: '300' }), 2)
})

t.test('an upstream call that got no response is counted under status none, without a first byte', async (t) => {
  const metrics = metricsWith()
  metrics.recordUpstreamResponse({ operation: 'Converse', status: undefined, latencySeconds: 10 })
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_responses_total', { status: 'none' }), 1)
  t.equal(valueOf(samples, 'bedrock_geofence_upstream_ttfb_seconds_count', { operation: 'Converse' }), undefined)
})

t.test('bytes in and out add up per operation', async (t) => {
  const metrics = metricsWith()
  metrics.recordBytes('InvokeModel', { in: 2048, out: 512 })
  metrics.recordBytes('InvokeModel', { in: 100, out: 50 })
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_request_bytes_total', { operation: 'InvokeModel' }), 2148)
  t.equal(valueOf(samples, 'bedrock_geofence_response_bytes_total', { operation: 'InvokeModel' }), 562)
})

t.test('counts keep adding up from one scrape to the next', async (t) => {
  const metrics = metricsWith()
  const name = 'bedrock_geofence_requests_total'
  metrics.recordRequest(request('allowed', 'ALLOWED'))
  metrics.recordBytes('Converse', { in: 100, out: 40 })
  t.equal(valueOf(await scrape(metrics), name), 1)
  t.equal(valueOf(await scrape(metrics), name), 1, 'a scrape counts nothing twice')
  metrics.recordRequest(request('allowed', 'ALLOWED'))
  metrics.recordRequest(request('allowed', 'ALLOWED'))
  metrics.recordBytes('Converse', { in: 5, out: 2 })
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, name), 3)
  t.equal(valueOf(samples, 'bedrock_geofence_request_bytes_total', { operation: 'Converse' }), 105)
  t.equal(valueOf(samples, 'bedrock_geofence_response_bytes_total', { operation: 'Converse' }), 42)
})

t.test('histogram buckets, sum and count keep adding up from one scrape to the next', async (t) => {
  const metrics = metricsWith()
  metrics.recordUpstreamResponse({ operation: 'Converse', status: 200, latencySeconds: 0.3 })
  await scrape(metrics)
  metrics.recordUpstreamResponse({ operation: 'Converse', status: 200, latencySeconds: 0.2 })
  metrics.recordUpstreamResponse({ operation: 'Converse', status: 200, latencySeconds: 400 })
  const samples = await scrape(metrics)
  const latency = 'bedrock_geofence_upstream_latency_seconds'
  t.equal(valueOf(samples, `${latency}_bucket`, { le: '0.25' }), 1)
  t.equal(valueOf(samples, `${latency}_bucket`, { le: '0.5' }), 2)
  t.equal(valueOf(samples, `${latency}_bucket`, { le: '300' }), 2, '400 s is above every bound')
  t.equal(valueOf(samples, `${latency}_bucket`, { le: '+Inf' }), 3)
  t.equal(valueOf(samples, `${latency}_count`), 3)
  t.equal(valueOf(samples, `${latency}_sum`), 400.5)
})

t.test('a refused request\'s response bytes are exported at 0 for its operation', async (t) => {
  const metrics = metricsWith()
  metrics.recordBytes('InvokeModel', { in: 310, out: 0 })
  t.equal(valueOf(await scrape(metrics), 'bedrock_geofence_response_bytes_total', { operation: 'InvokeModel' }), 0)
})

t.test('requests, streams and bidirectional streams in flight are read at scrape time', async (t) => {
  let inFlight = { size: 5, streams: 3, bidirectionalStreams: 1 }
  const metrics = metricsWith({ inFlight: () => inFlight })
  let samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_requests_in_flight'), 5)
  t.equal(valueOf(samples, 'bedrock_geofence_streams_in_flight'), 3)
  t.equal(valueOf(samples, 'bedrock_geofence_bidirectional_streams_in_flight'), 1)
  inFlight = { size: 1, streams: 0, bidirectionalStreams: 0 }
  samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_requests_in_flight'), 1)
  t.equal(valueOf(samples, 'bedrock_geofence_streams_in_flight'), 0)
  t.equal(valueOf(samples, 'bedrock_geofence_bidirectional_streams_in_flight'), 0)
})

t.test('shed requests are counted by cause, every cause exported from the start', async (t) => {
  const metrics = metricsWith()
  const name = 'bedrock_geofence_shed_requests_total'
  t.equal(valueOf(await scrape(metrics), name, { cause: 'event_loop_delay' }), 0)
  metrics.recordShed('stream_limit')
  metrics.recordShed('stream_limit')
  metrics.recordShed('draining')
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, name, { cause: 'stream_limit' }), 2)
  t.equal(valueOf(samples, name, { cause: 'draining' }), 1)
  t.equal(valueOf(samples, name, { cause: 'grace_period_over' }), 0)
})

t.test('tokens are counted by allowed model, client and direction', async (t) => {
  const metrics = metricsWith()
  const model = modelLabel('allowed', CLAUDE)
  if (model === undefined) throw new Error('an allowed model id must give a label')
  metrics.recordTokens(model, 'litellm', { inputTokens: 25, outputTokens: 100 })
  metrics.recordTokens(model, 'litellm', { inputTokens: 5, outputTokens: 10 })
  const samples = await scrape(metrics)
  const labels = { model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', client: 'litellm' }
  t.equal(valueOf(samples, 'bedrock_geofence_tokens_total', { ...labels, direction: 'input' }), 30)
  t.equal(valueOf(samples, 'bedrock_geofence_tokens_total', { ...labels, direction: 'output' }), 110)
})

t.test('a refused request gives no model label', async (t) => {
  t.equal(modelLabel('denied', CLAUDE), undefined)
  t.equal(modelLabel('unauthenticated', CLAUDE), undefined)
  t.equal(modelLabel('shed', CLAUDE), undefined)
})

t.test('a request monitor mode forwarded gives its model label, as Bedrock ran it', async (t) => {
  t.equal(modelLabel('would_deny', CLAUDE), 'anthropic.claude-3-5-sonnet-20241022-v2:0')
})

t.test('monitor mode shows as seconds left per client while it lasts, and not at all once over', async (t) => {
  const windows = [{ subject: '*', endMs: NOW + 90_000 }, { subject: 'litellm', endMs: NOW + 3_600_000 }]
  const metrics = metricsWith({ monitorWindows: () => windows })
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_monitor_mode_seconds_left', { client: '*' }), 90)
  t.equal(valueOf(samples, 'bedrock_geofence_monitor_mode_seconds_left', { client: 'litellm' }), 3600)
  windows.length = 0
  t.notOk((await metrics.registry.metrics()).includes('bedrock_geofence_monitor_mode_seconds_left{'))
})

t.test('only a model id, never a guardrail id, gives a model label', async (t) => {
  const guardrail: NamedIdentifier = { location: 'path.guardrailIdentifier', id: { kind: 'guardrail-id', text: 'abc123xyz789' } }
  t.equal(modelLabel('allowed', [guardrail]), undefined)
  t.equal(modelLabel('allowed', [guardrail, ...CLAUDE]), 'anthropic.claude-3-5-sonnet-20241022-v2:0')
})

t.test('config reloads count successes and failures, both exported from the start', async (t) => {
  const metrics = metricsWith()
  const name = 'bedrock_geofence_config_reloads_total'
  t.equal(valueOf(await scrape(metrics), name, { result: 'failure' }), 0)
  metrics.recordConfigReload('success')
  metrics.recordConfigReload('failure')
  metrics.recordConfigReload('failure')
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, name, { result: 'success' }), 1)
  t.equal(valueOf(samples, name, { result: 'failure' }), 2)
})

t.test('credentials expiry is read at scrape time', async (t) => {
  let status: CredentialStatus = { ok: true, expiresAt: new Date(NOW + 900_000) }
  const metrics = metricsWith({ credentials: () => status })
  const name = 'bedrock_geofence_credentials_expiry_seconds'
  t.equal(valueOf(await scrape(metrics), name), 900)
  status = { ok: true, expiresAt: new Date(NOW + 42_000) }
  t.equal(valueOf(await scrape(metrics), name), 42)
})

t.test('credentials that do not resolve expire now; long-term keys never do', async (t) => {
  const name = 'bedrock_geofence_credentials_expiry_seconds'
  const failing = metricsWith({ credentials: () => ({ ok: false, error: 'no credentials in the chain' }) })
  t.equal(valueOf(await scrape(failing), name), 0)
  const longTerm = metricsWith({ credentials: () => ({ ok: true }) })
  t.equal(valueOf(await scrape(longTerm), name), Infinity)
})

t.test('the process default metrics are exported under their standard names', async (t) => {
  const samples = await scrape(metricsWith())
  t.ok(valueOf(samples, 'process_cpu_user_seconds_total') !== undefined)
  t.ok(valueOf(samples, 'nodejs_heap_size_used_bytes') !== undefined)
})

t.test('the gateway exports exactly its documented metrics, all prefixed bedrock_geofence_', async (t) => {
  const names = (await metricsWith().registry.getMetricsAsJSON()).map((m) => m.name)
  const ours = names.filter((n) => !n.startsWith('process_') && !n.startsWith('nodejs_')).sort()
  t.same(ours, [
    'bedrock_geofence_bidirectional_streams_in_flight',
    'bedrock_geofence_config_reloads_total',
    'bedrock_geofence_credentials_expiry_seconds',
    'bedrock_geofence_internal_errors_total',
    'bedrock_geofence_monitor_mode_seconds_left',
    'bedrock_geofence_request_bytes_total',
    'bedrock_geofence_requests_in_flight',
    'bedrock_geofence_requests_total',
    'bedrock_geofence_response_bytes_total',
    'bedrock_geofence_shed_requests_total',
    'bedrock_geofence_simulated_upstream',
    'bedrock_geofence_streams_in_flight',
    'bedrock_geofence_tokens_total',
    'bedrock_geofence_trace_export_failures_total',
    'bedrock_geofence_upstream_latency_seconds',
    'bedrock_geofence_upstream_responses_total',
    'bedrock_geofence_upstream_ttfb_seconds'
  ])
})

t.test('a scrape after a mix of traffic is valid Prometheus exposition', async (t) => {
  const metrics = metricsWith()
  metrics.recordRequest(request('allowed', 'ALLOWED'))
  metrics.recordRequest({ operation: undefined, region: undefined, client: undefined, decision: 'unauthenticated', reason: undefined })
  metrics.recordUpstreamResponse({ operation: 'Converse', status: 200, latencySeconds: 1.5, timeToFirstByteSeconds: 1.5 })
  metrics.recordBytes('Converse', { in: 10, out: 20 })
  const model = modelLabel('allowed', [{ location: 'path.modelId', id: { kind: 'inference-profile', text: 'us.anthropic.claude "quoted" \\ model', prefix: 'us' } }])
  if (model === undefined) throw new Error('an allowed model id must give a label')
  metrics.recordTokens(model, 'litellm', { inputTokens: 1, outputTokens: 2 })
  const samples = await scrape(metrics)
  t.equal(valueOf(samples, 'bedrock_geofence_tokens_total', { direction: 'output' }), 2)
  t.equal(samples.find((s) => s.name === 'bedrock_geofence_tokens_total')?.labels.model, 'us.anthropic.claude "quoted" \\ model', 'label escaping round-trips')
})

t.test('the exposition check rejects malformed text', async (t) => {
  t.throws(() => parseExposition('# TYPE x counter\nx{a="unterminated} 1\n'))
  t.throws(() => parseExposition('y 1\n'), /before its # TYPE/)
  t.throws(() => parseExposition('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'), /cumulative/)
})

t.test('two instances never share counts', async (t) => {
  const first = metricsWith()
  const second = metricsWith()
  first.recordRequest(request('allowed', 'ALLOWED'))
  t.equal(valueOf(await scrape(second), 'bedrock_geofence_requests_total'), undefined)
})
