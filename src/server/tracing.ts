import type { IncomingHttpHeaders } from 'node:http'
import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type TextMapPropagator,
  SpanStatusCode,
  trace,
  type Tracer
} from '@opentelemetry/api'
import type { Logger } from 'pino'
import type { RequestOutcome } from './handle-bedrock-request.ts'
import type { RequestStage } from './metrics.ts'

/** One request's spans: the request itself, and a child for the stage it is in. */
export interface RequestTrace {
  /** Ends the span of the stage before, if any, and starts the span of `stage`. */
  enter (stage: RequestStage): void
  /** Ends every span of the request, with what became of it. */
  end (outcome: RequestOutcome): void
}

/** Where spans go: nowhere (the default), or an OTLP exporter configured by the standard OTEL_* variables. */
export interface GatewayTracer {
  startRequest (headers: IncomingHttpHeaders): RequestTrace
  /** Sends what is still buffered; resolves when done. */
  shutdown (): Promise<void>
}

const NO_REQUEST_TRACE: RequestTrace = { enter () {}, end () {} }
export const NO_TRACING: GatewayTracer = { startRequest: () => NO_REQUEST_TRACE, shutdown: async () => {} }

const DEFAULT_SERVICE_NAME = 'bedrock-geofence'
const TRACER_NAME = 'bedrock-geofence'
const REQUEST_SPAN = 'bedrock request'
const SERVER_ERROR_STATUS = 500
const DEFAULT_PROTOCOL = 'http/protobuf'
/** The spec's default endpoint, and the path a base endpoint gets for traces. */
const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/traces'
const TRACES_PATH = '/v1/traces'
const SUPPORTED_PROTOCOLS: ReadonlySet<string> = new Set([DEFAULT_PROTOCOL, 'http/json'])
/** The span of each stage; the upstream call spans forwarding and relaying, as one call to Bedrock. */
const STAGE_SPANS: Readonly<Record<RequestStage, { readonly name: string; readonly kind: SpanKind }>> = {
  framework: { name: 'framework', kind: SpanKind.INTERNAL },
  authenticate: { name: 'authenticate', kind: SpanKind.INTERNAL },
  understand: { name: 'understand', kind: SpanKind.INTERNAL },
  routing: { name: 'routing lookup', kind: SpanKind.INTERNAL },
  decide: { name: 'decide', kind: SpanKind.INTERNAL },
  forward: { name: 'upstream call', kind: SpanKind.CLIENT },
  relay: { name: 'upstream call', kind: SpanKind.CLIENT }
}

function outcomeAttributes (outcome: RequestOutcome): Attributes {
  const status = outcome.error?.status ?? outcome.upstream?.status
  const attributes: Attributes = {
    'bedrock_geofence.request_id': outcome.requestId,
    'bedrock_geofence.client': outcome.clientName
  }
  if (outcome.operation !== undefined) attributes['rpc.method'] = outcome.operation
  if (outcome.region !== undefined) attributes['cloud.region'] = outcome.region
  if (outcome.decision !== undefined) {
    attributes['bedrock_geofence.decision'] = outcome.reportedOnly === true ? 'would_deny' : outcome.decision.allowed ? 'allowed' : 'denied'
    attributes['bedrock_geofence.reason'] = outcome.decision.reason
  }
  const model = outcome.identifiers[0]?.id.text
  if (model !== undefined) attributes['gen_ai.request.model'] = model
  if (status !== undefined) attributes['http.response.status_code'] = status
  if (outcome.error !== undefined) attributes['error.type'] = outcome.error.type
  if (outcome.upstream?.bedrockRequestId !== undefined) attributes['aws.request_id'] = outcome.upstream.bedrockRequestId
  return attributes
}

/** Spans for each request, continuing the caller's W3C `traceparent` when it sends one. */
function requestTracer (tracer: Tracer, propagator: TextMapPropagator, provider: { shutdown (): Promise<void> }): GatewayTracer {
  return {
    startRequest (headers) {
      const parent: Context = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter)
      const request = tracer.startSpan(REQUEST_SPAN, { kind: SpanKind.SERVER }, parent)
      const inRequest = trace.setSpan(parent, request)
      let current: { readonly name: string; readonly span: Span } | undefined
      return {
        enter (stage) {
          const { name, kind } = STAGE_SPANS[stage]
          if (current?.name === name) return
          current?.span.end()
          current = { name, span: tracer.startSpan(name, { kind }, inRequest) }
        },
        end (outcome) {
          current?.span.end()
          const attributes = outcomeAttributes(outcome)
          request.setAttributes(attributes)
          if (outcome.operation !== undefined) request.updateName(`${REQUEST_SPAN} ${outcome.operation}`)
          const status = attributes['http.response.status_code']
          if (typeof status === 'number' && status >= SERVER_ERROR_STATUS) request.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error?.type })
          request.end()
        }
      }
    },
    shutdown: () => provider.shutdown()
  }
}

/** `key1=value1,key2=value2`, each part percent-decoded: the spec's form for OTEL_RESOURCE_ATTRIBUTES and the headers. */
function keyValueList (text: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {}
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=')
    if (at > 0) pairs[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim())
  }
  return pairs
}

function resourceAttributes (env: NodeJS.ProcessEnv): Attributes {
  const attributes: Attributes = keyValueList(env.OTEL_RESOURCE_ATTRIBUTES)
  attributes['service.name'] = env.OTEL_SERVICE_NAME ?? attributes['service.name'] ?? DEFAULT_SERVICE_NAME
  return attributes
}

/** The exporter's settings from the given environment (the exporter would otherwise read only process.env). */
function exporterSettings (env: NodeJS.ProcessEnv): { url?: string, headers: Record<string, string>, timeoutMillis?: number } {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}${TRACES_PATH}`)
  const timeout = Number(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT)
  return {
    ...(url === undefined ? {} : { url }),
    headers: keyValueList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS),
    ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMillis: timeout } : {})
  }
}

/** True when the standard variables ask for OTLP traces: an exporter endpoint, or `OTEL_TRACES_EXPORTER=otlp`. */
export function tracingRequested (env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false
  return env.OTEL_TRACES_EXPORTER?.split(',').includes('otlp') === true ||
    env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined
}

/**
 * The tracer the standard OTEL_* variables ask for: off unless they name an OTLP endpoint or exporter. The SDK and
 * its exporter are loaded only then, so a gateway without tracing pays nothing for it. The exporter reads its own
 * variables (endpoint, headers, timeout); the sampler is the spec's default, parent-based always-on, and
 * `OTEL_TRACES_SAMPLER=always_off` or `traceidratio` (with `OTEL_TRACES_SAMPLER_ARG`) are honoured. A failed export
 * is counted with `countExportFailure` and logged (trace-export-watch.ts).
 */
export async function createTracer (env: NodeJS.ProcessEnv, logger: Logger, countExportFailure: () => void): Promise<GatewayTracer> {
  if (!tracingRequested(env)) return NO_TRACING
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? DEFAULT_PROTOCOL
  if (!SUPPORTED_PROTOCOLS.has(protocol)) {
    logger.error({ protocol }, 'tracing is off: the OTLP protocol must be http/protobuf or http/json (gRPC is not supported)')
    return NO_TRACING
  }
  const [sdk, { resourceFromAttributes }, { W3CTraceContextPropagator }, { watchExports }] = await Promise.all([
    import('@opentelemetry/sdk-trace'), import('@opentelemetry/resources'), import('@opentelemetry/core'), import('./trace-export-watch.ts')
  ])
  const { OTLPTraceExporter } = protocol === 'http/json'
    ? await import('@opentelemetry/exporter-trace-otlp-http')
    : await import('@opentelemetry/exporter-trace-otlp-proto')
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1')
  const root = env.OTEL_TRACES_SAMPLER?.endsWith('always_off') === true
    ? new sdk.AlwaysOffSampler()
    : env.OTEL_TRACES_SAMPLER?.endsWith('traceidratio') === true ? new sdk.TraceIdRatioBasedSampler(ratio) : new sdk.AlwaysOnSampler()
  const sampler = env.OTEL_TRACES_SAMPLER?.startsWith('parentbased_') === false ? root : new sdk.ParentBasedSampler({ root })
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes(resourceAttributes(env)),
    sampler,
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: watchExports(new OTLPTraceExporter(exporterSettings(env)), logger, countExportFailure) })]
  })
  logger.info({ protocol, endpoint: exporterSettings(env).url ?? DEFAULT_ENDPOINT }, 'tracing: spans are exported over OTLP')
  return requestTracer(provider.getTracer(TRACER_NAME), new W3CTraceContextPropagator(), provider)
}
