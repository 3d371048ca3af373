import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import type { NamedIdentifier } from './identifier-types.ts'
import type { BedrockApi } from './apis.ts'
import { type Decision, deny, QUERY_START, URL_PATH_SEPARATOR } from '../core/index.ts'
import type { RequestHeaders } from './headers.ts'
import { OPERATIONS, type SseDialect } from './operations.ts'
import type { OperationSpec } from './operation-spec.ts'
import { matchRoute } from './match-route.ts'
import { validatedOperationQuery } from './operation-query.ts'
import { IDENTIFIER_READERS } from './identifier-readers.ts'
import { decodePathLabel, encodeLabel, holdsDotSegment } from './path-labels.ts'
import { type JsonBody, readJsonObject, type WatchedObject, watchPaths } from './json-body.ts'
import { quoteValue } from './quote-value.ts'

export interface IncomingBedrockRequest {
  readonly method: string
  /** Path and query exactly as received (still percent-encoded), already without a region prefix. */
  readonly target: string
  /** Node-style headers; names are matched case-insensitively. */
  readonly headers: RequestHeaders
  readonly body: Uint8Array
}

export type Understanding =
  | {
    readonly ok: true
    readonly operation: OperationName
    /** The Bedrock API the operation belongs to: where it is sent, and what it is signed for. */
    readonly api: BedrockApi
    readonly identifiers: NamedIdentifier[]
    /** The path to send upstream: the template with exactly the checked identifiers, each encoded like the AWS SDKs do. */
    readonly upstreamPath: string
    /** Canonical query without the leading `?`; empty when there is none. */
    readonly upstreamQuery: string
    /** The answer streams: always for an event-stream operation, and when the body says `"stream": true` for the others. */
    readonly streams: boolean
    /** How a Server-Sent Events answer of this operation reports a failure; absent when it never sends any. */
    readonly sse?: SseDialect
  }
  | { readonly ok: false; readonly decision: Decision }

const FRAGMENT_START = '#'
const NONE: readonly never[] = []
const BODY_LOCATION_PREFIX = 'body.'
/** Splitting a template on this leaves its literal text at even indices and its label names at odd ones. */
const LABEL_IN_TEMPLATE = /\{(\w+)\}/

/** The body member that asks an OpenAI- or Anthropic-shaped operation for Server-Sent Events. */
const STREAM_MEMBER = 'stream'

/** The objects each operation's body is inspected along, computed once. */
const BODY_WATCH: ReadonlyMap<OperationName, WatchedObject> = new Map(OPERATION_NAMES.flatMap((operation) => {
  const spec = OPERATIONS[operation]
  const paths = spec.identifiers
    .filter((location) => location.startsWith(BODY_LOCATION_PREFIX))
    .map((location) => location.slice(BODY_LOCATION_PREFIX.length).split('.'))
  // Whether a call streams decides which limit it counts against: `stream` must be as unambiguous as a model id.
  if (spec.streamsWhenBodySays) paths.push([STREAM_MEMBER])
  return paths.length > 0 ? [[operation, watchPaths(paths)] as const] : []
}))

/** Each operation's path template split once, so building an upstream path is a few concatenations. */
const UPSTREAM_PATH_PARTS: ReadonlyMap<OperationName, readonly string[]> = new Map(OPERATION_NAMES.map((operation) =>
  [operation, OPERATIONS[operation].upstreamPathTemplate.split(LABEL_IN_TEMPLATE)]))

/**
 * True when the operation names identifiers in its body: only then does understanding it need the body. For every
 * other operation, method, path, query and headers say everything, and can be judged before the body is read.
 */
export function namesIdentifiersInBody (operation: OperationName): boolean {
  return BODY_WATCH.has(operation)
}

/**
 * The API a request's path belongs to (already without a region prefix), or undefined when it names no operation.
 * Only the route is matched: nothing is decoded, and the body is not needed.
 */
function apiOfTarget (method: string, target: string): BedrockApi | undefined {
  const queryAt = target.indexOf(QUERY_START)
  const path = queryAt === -1 ? target : target.slice(0, queryAt)
  if (!path.startsWith(URL_PATH_SEPARATOR)) return undefined
  const route = matchRoute(method, path.slice(1).split(URL_PATH_SEPARATOR))
  return route.kind === 'none' ? undefined : OPERATIONS[route.operation].api
}

/**
 * What method, path and query alone say about a request: its operation with the path's identifiers decoded and the
 * query checked, or why it is refused. Worked out once, before authentication (which needs the API's signing names),
 * and completed by `understandRoutedRequest` once the body is there.
 */
export type RequestRoute =
  | {
    readonly ok: true
    readonly operation: OperationName
    readonly spec: OperationSpec
    readonly labels: ReadonlyMap<string, string>
    /** Canonical query without the leading `?`. */
    readonly query: string
  }
  /** `api` is the one the path names when its route matched, so that the caller is still held to its signing names. */
  | { readonly ok: false; readonly decision: Decision; readonly api: BedrockApi | undefined }

/** The API a routed request belongs to, when its path named one. */
export function apiOfRoute (route: RequestRoute): BedrockApi | undefined {
  return route.ok ? route.spec.api : route.api
}

/** Routes a raw request (path and query exactly as received, without a region prefix). Never throws on any input. */
export function routeRequest (method: string, target: string): RequestRoute {
  if (target.includes(FRAGMENT_START)) return malformedRoute(`request target ${quoteValue(target)} holds a fragment`, apiOfTarget(method, target))
  const queryAt = target.indexOf(QUERY_START)
  const path = queryAt === -1 ? target : target.slice(0, queryAt)
  const rawQuery = queryAt === -1 ? '' : target.slice(queryAt + 1)
  if (!path.startsWith(URL_PATH_SEPARATOR)) return malformedRoute(`request target ${quoteValue(target)} is not a path`, apiOfTarget(method, target))
  const segments = path.slice(1).split(URL_PATH_SEPARATOR)
  if (path !== URL_PATH_SEPARATOR && holdsDotSegment(segments)) {
    return malformedRoute(`path ${quoteValue(path)} holds a dot or empty segment`, apiOfTarget(method, target))
  }

  const route = matchRoute(method, segments)
  if (route.kind === 'none') {
    return { ok: false, decision: deny('UNKNOWN_OPERATION', `${quoteValue(method)} ${quoteValue(path)} is not a Bedrock runtime operation`), api: undefined }
  }
  const { operation } = route
  const spec = OPERATIONS[operation]
  if (route.kind === 'slash-in-label') {
    return malformedRoute(`${operation} path ${quoteValue(path)} holds a raw '/' inside its ${route.label}; percent-encode it as %2F`, spec.api)
  }

  const query = validatedOperationQuery(rawQuery, spec.query)
  if (!query.ok) return malformedRoute(`${operation}: ${query.message}`, spec.api)

  const labels = new Map<string, string>()
  for (const [name, raw] of route.rawLabels) {
    const decoded = decodePathLabel(name, raw, spec)
    if (!decoded.ok) return malformedRoute(`${operation}: ${decoded.message}`, spec.api)
    labels.set(name, decoded.value)
  }
  return { ok: true, operation, spec, labels, query: query.query }
}

/**
 * Works out which operation a raw request is and every identifier it names, each decoded exactly once and
 * validated; or refuses it (unknown operation, malformed input). Never throws on any input.
 */
export function understandRequest (request: IncomingBedrockRequest): Understanding {
  return understandRoutedRequest(routeRequest(request.method, request.target), request.headers, () => request.body)
}

/**
 * Completes a route's understanding with the request's headers and body: every identifier, and whether it streams.
 * The body is asked for only by an operation that reads it, so a caller holding it in pieces joins them only then.
 */
export function understandRoutedRequest (route: RequestRoute, headers: RequestHeaders, body: () => Uint8Array): Understanding {
  if (!route.ok) return refuse(route.decision)
  const { operation, spec, labels } = route
  const watched = BODY_WATCH.get(operation)
  const sources = { spec, labels, headers, body: watched === undefined ? noBodyIdentifiers : lazyBody(body, watched) }
  // Sized up front (an array grown by push reserves room for 16), then cut to the identifiers actually present.
  const identifiers = new Array<NamedIdentifier>(spec.identifiers.length)
  let found = 0
  for (const location of spec.identifiers) {
    const read = IDENTIFIER_READERS[location](sources)
    if (!read.ok) return refuse(deny(read.reason, `${operation} ${location}: ${read.message}`))
    if (read.id !== undefined) identifiers[found++] = { location, id: read.id }
    // A location inside a list can name several; the array then grows past its first size.
    for (const id of read.ids ?? NONE) identifiers[found++] = { location, id }
  }
  identifiers.length = found

  let streams = spec.streamsResponse
  if (spec.streamsWhenBodySays) {
    const flag = bodyStreamFlag(sources.body())
    if (!flag.ok) return malformed(`${operation} body.${STREAM_MEMBER}: ${flag.message}`)
    streams = flag.streams
  }
  return {
    ok: true,
    operation,
    api: spec.api,
    identifiers,
    upstreamPath: upstreamPath(operation, labels),
    upstreamQuery: route.query,
    streams,
    ...(spec.sse === undefined ? {} : { sse: spec.sse })
  }
}

type StreamFlag = { readonly ok: true; readonly streams: boolean } | { readonly ok: false; readonly message: string }

/** `"stream": true` streams; false, null or no member does not; anything else is not a flag any client sends. */
function bodyStreamFlag (body: JsonBody): StreamFlag {
  if (!body.ok) return { ok: false, message: body.message }
  const value = Object.hasOwn(body.value, STREAM_MEMBER) ? body.value[STREAM_MEMBER] : undefined
  if (value === undefined || value === null) return { ok: true, streams: false }
  if (typeof value !== 'boolean') return { ok: false, message: 'request body member stream is not a boolean' }
  return { ok: true, streams: value }
}

function upstreamPath (operation: OperationName, labels: ReadonlyMap<string, string>): string {
  const parts = UPSTREAM_PATH_PARTS.get(operation) ?? []
  let path = parts[0] ?? ''
  for (let i = 1; i < parts.length; i += 2) path += encodeLabel(labels.get(parts[i] ?? '') ?? '') + (parts[i + 1] ?? '')
  return path
}

const NO_BODY_IDENTIFIERS: JsonBody = { ok: false, message: 'this operation carries no identifiers in its body' }

function noBodyIdentifiers (): JsonBody {
  return NO_BODY_IDENTIFIERS
}

function lazyBody (body: () => Uint8Array, watched: WatchedObject): () => JsonBody {
  let parsed: JsonBody | undefined
  return () => {
    parsed ??= readJsonObject(body(), watched)
    return parsed
  }
}

function malformedRoute (message: string, api: BedrockApi | undefined): RequestRoute {
  return { ok: false, decision: deny('MALFORMED_REQUEST', message), api }
}

function malformed (message: string): Understanding {
  return refuse(deny('MALFORMED_REQUEST', message))
}

function refuse (decision: Decision): Understanding {
  return { ok: false, decision }
}
