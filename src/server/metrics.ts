/* eslint-disable no-new -- the scrape-time gauges are created only to be registered: the registries in `registers`
   keep them and call collect() at each scrape. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { AWS_REGIONS } from '../config/index.ts'
import {
  MODEL_ID_LOCATIONS,
  type NamedIdentifier,
  OPERATION_NAMES,
  type OperationName,
  type ResourceIdentifier,
  type TokenUsage
} from '../bedrock/index.ts'
import { MS_PER_SECOND, REASON_CODES, type ReasonCode, type RequestDecision } from '../core/index.ts'

export { REQUEST_DECISIONS, type RequestDecision } from '../core/index.ts'
import type { CredentialStatus } from '../upstream/index.ts'
import { ANONYMOUS_CALLER } from './identify-caller.ts'
import { IndexedCounter, IndexedHistogram } from './indexed-metrics.ts'
import { SHED_CAUSES, type ShedCause } from './load-shed.ts'
import type { MonitorWindow } from '../config/index.ts'

export const METRIC_PREFIX = 'bedrock_geofence_'
export const TRACE_EXPORT_FAILURES_METRIC = `${METRIC_PREFIX}trace_export_failures_total`

export const UNKNOWN_OPERATION = 'unknown'
export const OTHER_REGION = 'other'
/** A caller whose credentials were missing, unknown or wrong. */
export const UNAUTHENTICATED_CLIENT = 'unauthenticated'
/** The reason label of a request refused before the engine ran (authentication, overload). */
export const NO_REASON = 'NONE'
/** The status label of an upstream call that produced no HTTP response (connect failure, timeout, reset). */
export const NO_UPSTREAM_RESPONSE = 'none'

/** The verdicts of requests that were forwarded to Bedrock. */
const FORWARDED_DECISIONS: ReadonlySet<RequestDecision> = new Set(['allowed', 'would_deny'])

/**
 * Where in a request the gateway itself failed, for errors nothing anticipated: the caller gets an
 * InternalServerException, the log the stack, and this metric's `stage` label says where to look.
 * `framework`: around the handler (Fastify's own processing, and the handler's set-up before its first stage).
 */
export const REQUEST_STAGES = ['framework', 'authenticate', 'understand', 'routing', 'decide', 'forward', 'relay'] as const
export type RequestStage = (typeof REQUEST_STAGES)[number]

export const CONFIG_RELOAD_RESULTS = ['success', 'failure'] as const
export type ConfigReloadResult = (typeof CONFIG_RELOAD_RESULTS)[number]

/** From a quick CountTokens to a long non-streaming generation: 5 ms to 5 minutes. */
export const LLM_LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300]

/** A requested region is caller input: anything but a real region name becomes one `other` label, not a new series. */
const KNOWN_REGIONS: ReadonlySet<string> = new Set(AWS_REGIONS)
const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES)
const KNOWN_REASONS: ReadonlySet<string> = new Set(REASON_CODES)
const INPUT_TOKENS = 'input'
const OUTPUT_TOKENS = 'output'
const LOWEST_HTTP_STATUS = 100
const HIGHEST_HTTP_STATUS = 599

/**
 * A model id that the engine allowed for an authenticated (or anonymous-by-config) caller. Only such ids may become
 * label values: the type makes it impossible to label a series with a raw id from a refused request.
 */
export type ModelLabel = string & { readonly __brand: 'ModelLabel' }

export function operationLabel (operation: string | undefined): OperationName | typeof UNKNOWN_OPERATION {
  return operation !== undefined && KNOWN_OPERATIONS.has(operation) ? operation as OperationName : UNKNOWN_OPERATION
}

export function regionLabel (region: string | undefined): string {
  return region !== undefined && KNOWN_REGIONS.has(region) ? region : OTHER_REGION
}

/** Only names from the config in force, or the two constants; a name nobody configured is labelled unauthenticated. */
export function clientLabel (client: string | undefined, configuredClients: ReadonlySet<string>): string {
  if (client === ANONYMOUS_CALLER) return ANONYMOUS_CALLER
  return client !== undefined && configuredClients.has(client) ? client : UNAUTHENTICATED_CLIENT
}

export function reasonLabel (reason: string | undefined): ReasonCode | typeof NO_REASON {
  return reason !== undefined && KNOWN_REASONS.has(reason) ? reason as ReasonCode : NO_REASON
}

export function upstreamStatusLabel (status: number | undefined): string {
  if (status === undefined || !Number.isInteger(status) || status < LOWEST_HTTP_STATUS || status > HIGHEST_HTTP_STATUS) {
    return NO_UPSTREAM_RESPONSE
  }
  return String(status)
}

/** The identifier that names the model a request runs on (path label or async-invoke body), if the request has one. */
export function modelIdentifier (identifiers: readonly NamedIdentifier[]): ResourceIdentifier | undefined {
  return identifiers.find((named) => MODEL_ID_LOCATIONS.has(named.location))?.id
}

/** The model label of a forwarded request; a refused one names no model, so callers cannot mint label values. */
export function modelLabel (decision: RequestDecision, identifiers: readonly NamedIdentifier[]): ModelLabel | undefined {
  if (!isForwarded(decision)) return undefined
  return modelIdentifier(identifiers)?.text as ModelLabel | undefined
}

export function isForwarded (decision: RequestDecision): boolean {
  return FORWARDED_DECISIONS.has(decision)
}

/** Seconds the gateway's AWS credentials have left: 0 when none resolve, +Inf for long-term keys that never expire. */
export function secondsUntilExpiry (status: CredentialStatus, nowMs: number): number {
  if (!status.ok) return 0
  if (status.expiresAt === undefined) return Number.POSITIVE_INFINITY
  return Math.max(0, (status.expiresAt.getTime() - nowMs) / 1000)
}

export interface RequestLabelsInput {
  readonly operation: string | undefined
  readonly region: string | undefined
  readonly client: string | undefined
  readonly decision: RequestDecision
  readonly reason: string | undefined
}

export interface UpstreamResponseInput {
  readonly operation: string | undefined
  /** Undefined when no HTTP response arrived at all. */
  readonly status: number | undefined
  readonly latencySeconds: number
  /** Undefined when no byte of the body arrived. */
  readonly timeToFirstByteSeconds?: number
}

export interface GeofenceMetrics {
  /** This instance's own registry: serve `registry.metrics()` with `registry.contentType`. */
  readonly registry: Registry
  recordRequest (labels: RequestLabelsInput): void
  recordUpstreamResponse (response: UpstreamResponseInput): void
  recordBytes (operation: string | undefined, bytes: { readonly in: number; readonly out: number }): void
  recordShed (cause: ShedCause): void
  recordTokens (model: ModelLabel, client: string | undefined, usage: TokenUsage): void
  recordConfigReload (result: ConfigReloadResult): void
  recordInternalError (stage: RequestStage): void
  /** One batch of spans the OTLP exporter could not deliver (its spans are lost). */
  recordTraceExportFailure (): void
}

export interface MetricsOptions {
  /** Client names of the config in force; read on every record, so a reload takes effect at once. */
  readonly configuredClients: () => ReadonlySet<string>
  /** Read at each scrape for the credentials expiry gauge. */
  readonly credentials: () => CredentialStatus
  /** Read at each scrape: what the gateway is answering right now. */
  readonly inFlight: () => { readonly size: number; readonly streams: number; readonly bidirectionalStreams: number }
  /** Read at each scrape: the monitor-mode windows still open. */
  readonly monitorWindows?: () => readonly MonitorWindow[]
  /** Read at each scrape: whether the upstream is demo's Bedrock simulator. */
  readonly simulatedUpstream?: () => boolean
  readonly now?: () => number
}

/** The gauges read from the in-flight tracker at scrape time: name, help, and which of its counts. */
const IN_FLIGHT_GAUGES: ReadonlyArray<{ readonly name: string, readonly help: string, readonly count: keyof ReturnType<MetricsOptions['inFlight']> }> = [
  {
    name: 'streams_in_flight',
    help: 'Streaming requests (ConverseStream, InvokeModelWithResponseStream) currently forwarded or relayed.',
    count: 'streams'
  },
  {
    name: 'bidirectional_streams_in_flight',
    help: 'Bidirectional streams (InvokeModelWithBidirectionalStream) currently relayed; not counted in streams_in_flight.',
    count: 'bidirectionalStreams'
  },
  { name: 'requests_in_flight', help: 'Requests of any kind currently forwarded or relayed.', count: 'size' }
]

/** Label values in label-name order, filled afresh for every record: the index copies what it keeps. */
type LabelKey = string[]
/** Every gateway metric on a registry of its own (never prom-client's global one), plus the process defaults. */
export function createMetrics (options: MetricsOptions): GeofenceMetrics {
  const now = options.now ?? Date.now
  const registry = new Registry()
  const registers = [registry]
  // Default metrics keep their standard names (process_*, nodejs_*) so stock Node.js dashboards work unchanged.
  collectDefaultMetrics({ register: registry })

  const requests = new IndexedCounter({
    name: `${METRIC_PREFIX}requests_total`,
    help: 'Requests received, by operation, requested region, client, decision and reason code.',
    labelNames: ['operation', 'region', 'client', 'decision', 'reason'] as const,
    registers
  })
  const upstreamResponses = new IndexedCounter({
    name: `${METRIC_PREFIX}upstream_responses_total`,
    help: 'Responses from Bedrock by operation and HTTP status ("none" when no response arrived).',
    labelNames: ['operation', 'status'] as const,
    registers
  })
  const upstreamLatency = new IndexedHistogram({
    name: `${METRIC_PREFIX}upstream_latency_seconds`,
    help: 'Time from an allowed request\'s arrival (body received) to the end of the response relayed for it.',
    labelNames: ['operation'] as const,
    buckets: LLM_LATENCY_BUCKETS_SECONDS,
    registers
  })
  const upstreamTimeToFirstByte = new IndexedHistogram({
    name: `${METRIC_PREFIX}upstream_ttfb_seconds`,
    help: 'Time from sending a request upstream to the first byte of its response body.',
    labelNames: ['operation'] as const,
    buckets: LLM_LATENCY_BUCKETS_SECONDS,
    registers
  })
  // In-flight counts are read from the tracker at scrape time, so no code path can leave them off by one.
  for (const { name, help, count } of IN_FLIGHT_GAUGES) {
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      registers,
      collect () {
        this.set(options.inFlight()[count])
      }
    })
  }
  const shed = new Counter({
    name: `${METRIC_PREFIX}shed_requests_total`,
    help: 'Requests answered 503 ServiceUnavailableException to protect the gateway or because it was shutting down.',
    labelNames: ['cause'] as const,
    registers
  })
  const requestBytes = new IndexedCounter({
    name: `${METRIC_PREFIX}request_bytes_total`,
    help: 'Request body bytes received from callers.',
    labelNames: ['operation'] as const,
    registers
  })
  const responseBytes = new IndexedCounter({
    name: `${METRIC_PREFIX}response_bytes_total`,
    help: 'Response body bytes relayed to callers from Bedrock (an exception event ending a stream included); the gateway\'s own refusals are not counted.',
    labelNames: ['operation'] as const,
    registers
  })
  const tokens = new IndexedCounter({
    name: `${METRIC_PREFIX}tokens_total`,
    help: 'Tokens Bedrock reported, by allowed model id, client and direction.',
    labelNames: ['model', 'client', 'direction'] as const,
    registers
  })
  const configReloads = new Counter({
    name: `${METRIC_PREFIX}config_reloads_total`,
    help: 'Config reload attempts by result; a failure keeps the previous config serving.',
    labelNames: ['result'] as const,
    registers
  })
  const internalErrors = new Counter({
    name: `${METRIC_PREFIX}internal_errors_total`,
    help: 'Requests the gateway failed with an error nothing anticipated (answered 500 InternalServerException and logged with its stack), by stage.',
    labelNames: ['stage'] as const,
    registers
  })
  const traceExportFailures = new Counter({
    name: TRACE_EXPORT_FAILURES_METRIC,
    help: 'Exports of spans to the OTLP endpoint that failed (collector down, refusing, or unreachable); their spans are lost.',
    registers
  })
  new Gauge({
    name: `${METRIC_PREFIX}credentials_expiry_seconds`,
    help: 'Seconds until the gateway\'s AWS credentials expire: 0 when none resolve, +Inf when they never expire.',
    registers,
    collect () {
      this.set(secondsUntilExpiry(options.credentials(), now()))
    }
  })
  new Gauge({
    name: `${METRIC_PREFIX}monitor_mode_seconds_left`,
    help: 'Seconds until monitor mode ends, by client ("*": the global setting); no series while every caller is enforced.',
    labelNames: ['client'] as const,
    registers,
    collect () {
      this.reset()
      const nowMs = now()
      for (const window of options.monitorWindows?.() ?? []) this.set({ client: window.subject }, (window.endMs - nowMs) / MS_PER_SECOND)
    }
  })
  new Gauge({
    name: `${METRIC_PREFIX}simulated_upstream`,
    help: '1 while the upstream is the Bedrock simulator of bedrock-geofence demo (no request reaches AWS), 0 otherwise.',
    registers,
    collect () {
      this.set(options.simulatedUpstream?.() === true ? 1 : 0)
    }
  })
  // Both reload series exist from the start, so an alert on increase(...{result="failure"}) sees a 0 before the first failure.
  for (const result of CONFIG_RELOAD_RESULTS) configReloads.inc({ result }, 0)
  for (const cause of SHED_CAUSES) shed.inc({ cause }, 0)
  for (const stage of REQUEST_STAGES) internalErrors.inc({ stage }, 0)

  const requestKey: LabelKey = ['', '', '', '', '']
  const responseKey: LabelKey = ['', '']
  const operationKey: LabelKey = ['']
  const tokensKey: LabelKey = ['', '', '']
  return {
    registry,
    recordRequest (labels) {
      requestKey[0] = operationLabel(labels.operation)
      requestKey[1] = regionLabel(labels.region)
      requestKey[2] = clientLabel(labels.client, options.configuredClients())
      requestKey[3] = labels.decision
      requestKey[4] = reasonLabel(labels.reason)
      requests.add(requestKey, 1)
    },
    recordUpstreamResponse (response) {
      const operation = operationLabel(response.operation)
      responseKey[0] = operation
      responseKey[1] = upstreamStatusLabel(response.status)
      upstreamResponses.add(responseKey, 1)
      operationKey[0] = operation
      upstreamLatency.record(operationKey, response.latencySeconds)
      if (response.timeToFirstByteSeconds !== undefined) {
        upstreamTimeToFirstByte.record(operationKey, response.timeToFirstByteSeconds)
      }
    },
    recordBytes (operation, bytes) {
      operationKey[0] = operationLabel(operation)
      requestBytes.add(operationKey, bytes.in)
      responseBytes.add(operationKey, bytes.out)
    },
    recordShed (cause) {
      shed.inc({ cause })
    },
    recordTokens (model, client, usage) {
      tokensKey[0] = model
      tokensKey[1] = clientLabel(client, options.configuredClients())
      tokensKey[2] = INPUT_TOKENS
      tokens.add(tokensKey, usage.inputTokens)
      tokensKey[2] = OUTPUT_TOKENS
      tokens.add(tokensKey, usage.outputTokens)
    },
    recordConfigReload (result) {
      configReloads.inc({ result })
    },
    recordInternalError (stage) {
      internalErrors.inc({ stage })
    },
    recordTraceExportFailure () {
      traceExportFailures.inc()
    }
  }
}
