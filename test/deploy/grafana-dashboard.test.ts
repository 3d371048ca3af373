/**
 * deploy/grafana/bedrock-geofence.json queries only metrics and labels a running gateway really exports: the names
 * and labels come from a scrape of its /metrics after one allowed call and one refused (and, in monitor mode,
 * forwarded) call, not from the source, so a renamed or dropped metric leaves a panel red here before it goes blank
 * in Grafana.
 */
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { parseExposition } from '../support/prometheus-text.ts'

const DASHBOARD_FILE = new URL('../../deploy/grafana/bedrock-geofence.json', import.meta.url)
const GATEWAY_METRIC = /\bbedrock_geofence_[a-z_]+\b/g
const LABEL_MATCHER = /([a-zA-Z_]+)\s*(?:=~|!~|!=|=)\s*"/g
const SELECTOR_BODY = /\{([^}]*)\}/g
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g
const LABEL_VALUES = /label_values\(\s*([a-z_]+)\s*,\s*([a-z_]+)\s*\)/g
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/
const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const DAY_MS = 86_400_000
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Count my tokens, please.' }] }]

interface Panel { type: string, title: string, targets?: Array<{ expr: string }>, panels?: Panel[] }
interface Dashboard { panels: Panel[], templating: { list: Array<{ type: string, name: string, query?: string | { query: string } }> } }

const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]).filter((panel) => panel.type !== 'row')
const queries = [
  ...panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: panel.title, expr: target.expr }))),
  ...dashboard.templating.list.filter((variable) => variable.type === 'query').map((variable) => ({
    where: `variable ${variable.name}`,
    expr: typeof variable.query === 'string' ? variable.query : variable.query?.query ?? ''
  }))
]

/** Metric names and the label names each carries, as one scrape of the running gateway shows them. */
async function scrapedLabels (t: Test): Promise<Map<string, Set<string>>> {
  // In monitor mode, so that its gauge has a series: the refused call is then forwarded and counted as would_deny.
  const monitor = `enforcement: { mode: monitor, until: "${new Date(Date.now() + DAY_MS).toISOString()}" }`
  const { gateway } = await startGatewayHarness(t, { extraYaml: `${inProcessLimitsYaml()}\n${monitor}` })
  const allowed = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  await allowed.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }))
  const refused = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'eu-central-1', credentials: SIGV4_CLIENT })
  await refused.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }))
  const text = await (await fetch(`${gateway.adminUrl}/metrics`)).text()
  const labels = new Map<string, Set<string>>()
  for (const sample of parseExposition(text)) {
    const names = labels.get(sample.name) ?? new Set<string>()
    for (const label of Object.keys(sample.labels)) names.add(label)
    labels.set(sample.name, names)
  }
  return labels
}

t.test('every panel and variable queries at least one gateway metric', async (t) => {
  t.ok(panels.length > 0)
  for (const { where, expr } of queries) t.ok([...expr.matchAll(GATEWAY_METRIC)].length > 0, where)
})

t.test('every metric the dashboard queries is one the running gateway exports', async (t) => {
  const exported = await scrapedLabels(t)
  for (const { where, expr } of queries) {
    for (const [metric] of expr.matchAll(GATEWAY_METRIC)) t.ok(exported.has(metric), `${where}: ${metric}`)
  }
})

t.test('every label the dashboard filters or groups by is one the queried metrics carry', async (t) => {
  const exported = await scrapedLabels(t)
  for (const { where, expr } of queries) {
    const carried = new Set([...expr.matchAll(GATEWAY_METRIC)].flatMap(([metric]) => [...(exported.get(metric) ?? [])]))
    const used = [
      ...[...expr.matchAll(SELECTOR_BODY)].flatMap(([, body = '']) => [...body.matchAll(LABEL_MATCHER)].map(([, label = '']) => label)),
      ...[...expr.matchAll(GROUPING)].flatMap(([, list = '']) => list.split(',').map((label) => label.trim())),
      ...[...expr.matchAll(LABEL_VALUES)].map(([, , label = '']) => label)
    ]
    for (const label of used) t.ok(carried.has(label), `${where}: ${label}`)
  }
})

t.test('the dashboard covers traffic, refusals, latency, streams, tokens, credentials and reloads', async (t) => {
  const queried = new Set(queries.flatMap(({ expr }) => [...expr.matchAll(GATEWAY_METRIC)].map(([metric]) => metric.replace(HISTOGRAM_SERIES, ''))))
  for (const metric of ['bedrock_geofence_requests_total', 'bedrock_geofence_upstream_responses_total', 'bedrock_geofence_shed_requests_total',
    'bedrock_geofence_upstream_latency_seconds', 'bedrock_geofence_upstream_ttfb_seconds', 'bedrock_geofence_streams_in_flight',
    'bedrock_geofence_tokens_total', 'bedrock_geofence_credentials_expiry_seconds', 'bedrock_geofence_config_reloads_total']) {
    t.ok(queried.has(metric), metric)
  }
  t.ok(queries.some(({ expr }) => /by \([^)]*\breason\b/.test(expr)), 'refusals by reason')
  t.ok(queries.some(({ expr }) => /tokens_total/.test(expr) && /by \([^)]*\bclient\b/.test(expr)), 'tokens by client')
  t.ok(queries.some(({ expr }) => /tokens_total/.test(expr) && /by \([^)]*\bmodel\b/.test(expr)), 'tokens by model')
})
