/**
 * The alerting rules docs/metrics.md recommends (deploy/prometheus-rules.yaml, linked from there) refer only to
 * metrics, labels and label values the gateway really exports, so no rule silently never fires.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { CONFIG_RELOAD_RESULTS, NO_UPSTREAM_RESPONSE, REQUEST_DECISIONS, createMetrics } from '../../src/server/metrics.ts'
import { SHED_CAUSES } from '../../src/server/load-shed.ts'

const RULES_FILE = new URL('../../deploy/prometheus-rules.yaml', import.meta.url)
const METRICS_DOC = new URL('../../docs/metrics.md', import.meta.url)
const SEVERITIES = ['info', 'warning', 'critical']
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/
const SELECTOR = /\b(bedrock_geofence_[a-z_]+)(?:\{([^}]*)\})?/g
const MATCHER = /([a-z_]+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g
const GROUPING = /\b(?:by|without)\s*\(([^)]*)\)/g
/** Statuses the upstream label can take: HTTP statuses Bedrock answers with, or none. */
const UPSTREAM_STATUSES = ['200', '400', '403', '404', '429', '500', '503', NO_UPSTREAM_RESPONSE]

/** Label values the gateway can emit, for the labels whose values are a closed set. */
const CLOSED_LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  decision: REQUEST_DECISIONS,
  result: CONFIG_RELOAD_RESULTS,
  cause: SHED_CAUSES
}

interface Rule {
  readonly alert: string
  readonly expr: string
  readonly labels?: { readonly severity?: string }
  readonly annotations?: { readonly summary?: string }
}

const rulesText = readFileSync(RULES_FILE, 'utf8')
const rules = (parse(rulesText) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((group) => group.rules)
const registry = createMetrics({ configuredClients: () => new Set(), credentials: () => ({ ok: true }), inFlight: () => ({ size: 0, streams: 0, bidirectionalStreams: 0 }) }).registry

function labelNamesOf (metricName: string): readonly string[] | undefined {
  const metric = registry.getSingleMetric(metricName) ?? registry.getSingleMetric(metricName.replace(HISTOGRAM_SUFFIX, ''))
  if (metric === undefined) return undefined
  // prom-client keeps the names a metric was declared with; histograms add `le` to their buckets.
  const declared = (metric as unknown as { labelNames: readonly string[] }).labelNames
  return metricName.endsWith('_bucket') ? [...declared, 'le'] : declared
}

t.test('docs/metrics.md links the rules file rather than a copy of it', async (t) => {
  const doc = readFileSync(METRICS_DOC, 'utf8')
  t.ok(doc.includes('](../deploy/prometheus-rules.yaml)'))
  t.equal(new URL('../deploy/prometheus-rules.yaml', METRICS_DOC).href, RULES_FILE.href, 'the link names the file this test reads')
  t.notOk(rules.some((rule) => doc.includes(rule.expr)), 'no rule is copied into the doc')
})

t.test('the rules cover denials, upstream errors, credential expiry and reload failures', async (t) => {
  const metricsAlertedOn = new Set(rules.flatMap((rule) => [...rule.expr.matchAll(SELECTOR)].map((match) => match[1])))
  for (const metric of ['bedrock_geofence_requests_total', 'bedrock_geofence_upstream_responses_total',
    'bedrock_geofence_credentials_expiry_seconds', 'bedrock_geofence_config_reloads_total']) {
    t.ok(metricsAlertedOn.has(metric), metric)
  }
  t.ok(rules.some((rule) => /decision="denied"/.test(rule.expr)), 'denials')
})

for (const rule of rules) {
  t.test(rule.alert, async (t) => {
    t.ok(SEVERITIES.includes(rule.labels?.severity ?? ''), 'has a severity')
    t.ok((rule.annotations?.summary ?? '') !== '', 'has a summary')
    const selectors = [...rule.expr.matchAll(SELECTOR)]
    t.ok(selectors.length > 0, 'uses a gateway metric')
    const labelsInExpr = new Set<string>()
    for (const [, metricName = '', matchers = ''] of selectors) {
      const labelNames = labelNamesOf(metricName)
      t.ok(labelNames !== undefined, `${metricName} is exported`)
      for (const name of labelNames ?? []) labelsInExpr.add(name)
      for (const [, label = '', operator, value = ''] of matchers.matchAll(MATCHER)) {
        t.ok(labelNames?.includes(label), `${metricName} has a ${label} label`)
        const closed = CLOSED_LABEL_VALUES[label]
        if (closed !== undefined) {
          const values = operator === '=~' ? value.split('|') : [value]
          t.same(values.filter((one) => !closed.includes(one)), [], `${label} values are ones the gateway emits`)
        }
        if (label === 'status') {
          t.ok(UPSTREAM_STATUSES.some((status) => new RegExp(`^(?:${value})$`).test(status)), `status "${value}" matches an upstream status`)
        }
      }
    }
    for (const [, grouping = ''] of rule.expr.matchAll(GROUPING)) {
      for (const label of grouping.split(',').map((name) => name.trim())) t.ok(labelsInExpr.has(label), `grouped by ${label}, a label it has`)
    }
  })
}
