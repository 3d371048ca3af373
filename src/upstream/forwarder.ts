import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { Agent, type Dispatcher } from 'undici'
import { BedrockError } from '../core/index.ts'
import { BEDROCK_API_SPECS, BEDROCK_APIS, type BedrockApi } from '../bedrock/index.ts'
import type { AbortNotice } from './abort-notice.ts'
import type { UpstreamConfig } from '../config/index.ts'
import type { CredentialSource } from './credentials.ts'
import { upstreamTarget } from './request-target.ts'
import { createUpstreamSigner } from './signer.ts'
import { failureBeforeResponse } from './upstream-failure.ts'
import { createOriginResolver, type UpstreamOrigin } from './upstream-origin.ts'
import { openUpstreamEventStream, type UpstreamEventStream } from './event-stream-request.ts'

export interface UpstreamRequest {
  /** The Bedrock API the operation belongs to: its endpoint template and signing name. */
  readonly api: BedrockApi
  /** The allowlisted region; with the API, it alone picks the upstream host and the signing scope. */
  readonly region: string
  readonly method: string
  /** Canonically encoded path built from the identifiers the engine checked, e.g. `/model/us.anthropic.x-v2%3A0/converse`. */
  readonly path: string
  /** The query without `?`; empty when there is none. */
  readonly query: string
  /** Already filtered by `upstreamRequestHeaders`. */
  readonly headers: Readonly<Record<string, string>>
  /** The body whole, or in the chunks it arrived in, which are sent one after the other. */
  readonly body: Buffer | readonly Buffer[]
  readonly bodySha256Hex: string
}

export interface UpstreamResponse {
  readonly status: number
  /** As Bedrock sent them; `clientResponseHeaders` decides what goes back. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Readable
  /** `performance.now()` when the request was handed to the connection pool, signature done. */
  readonly sentAt: number
}

/** A request whose body is a stream of events (InvokeModelWithBidirectionalStream): no body yet, and no query. */
export type UpstreamEventStreamRequest = Pick<UpstreamRequest, 'api' | 'region' | 'path' | 'headers'>

export interface Forwarder {
  /**
   * Signs and sends the request, resolving once the response headers arrive; the body then streams. Rejects with a
   * BedrockError (502/503/504, or the credential source's 503) when no response could be had, and with the signal's
   * reason when it was aborted. Aborting after the response started destroys its body and the connection.
   */
  forward (request: UpstreamRequest, signal: AbortNotice): Promise<UpstreamResponse>
  /**
   * Signs the request with the gateway's credentials and opens it over HTTP/2, without waiting for the response:
   * events may go out before Bedrock answers. Rejects only when no credentials could be had.
   */
  openEventStream (request: UpstreamEventStreamRequest): Promise<UpstreamEventStream>
  /** Stops accepting requests and resolves when the ones under way have finished. */
  close (): Promise<void>
}

const EVENT_STREAM_METHOD = 'POST'
const UPSTREAM_METHODS: ReadonlySet<string> = new Set<Dispatcher.HttpMethod>(['GET', 'POST'])

function upstreamMethod (method: string): Dispatcher.HttpMethod {
  if (!UPSTREAM_METHODS.has(method)) throw new BedrockError('ValidationException', `Amazon Bedrock runtime operations do not use ${method}.`)
  return method as Dispatcher.HttpMethod
}

const CONTENT_LENGTH_HEADER = 'content-length'
/** Chunks adding up to less than this are joined and sent as one buffer, which undici writes with the head in one go. */
const JOIN_CHUNKS_BELOW_BYTES = 1024 * 1024
const NO_BODY = Buffer.alloc(0)

/**
 * The body as undici sends it: one buffer as it is; the chunks of a large body one after the other, as a stream with
 * their total length declared (undici would otherwise send it chunked), so that it is never copied whole.
 */
function sendable (body: Buffer | readonly Buffer[], headers: Record<string, string>): { body: Buffer | Readable, headers: Record<string, string> } {
  if (Buffer.isBuffer(body)) return { body, headers }
  if (body.length <= 1) return { body: body[0] ?? NO_BODY, headers }
  let length = 0
  for (const chunk of body) length += chunk.length
  if (length < JOIN_CHUNKS_BELOW_BYTES) return { body: Buffer.concat(body, length), headers }
  return { body: Readable.from(body), headers: { ...headers, [CONTENT_LENGTH_HEADER]: String(length) } }
}

/** The `upstream` setting that says where each Bedrock API is; the compiler asks for a row when an API is added. */
function endpointTemplate (upstream: UpstreamConfig, api: BedrockApi): string {
  switch (api) {
    case 'bedrock-runtime': return upstream.endpoint
    case 'bedrock-mantle': return upstream.mantleEndpoint
    case 'bedrock-agent-runtime': return upstream.agentRuntimeEndpoint
  }
}

/** The signing name each API's requests are signed with upstream; mantle's is a setting (see MANTLE_SIGNING_SERVICE). */
function signingName (upstream: UpstreamConfig, api: BedrockApi): string {
  return api === 'bedrock-mantle' ? upstream.mantleSigningName : BEDROCK_API_SPECS[api].signingName
}

/**
 * Forwards allowed requests with undici. One Agent keeps a keep-alive pool per upstream origin (one per API and
 * region) with no cap on connections: a capped HTTP/1.1 pool makes concurrent streams wait in waves behind each other.
 */
export function createForwarder (upstream: UpstreamConfig, credentials: CredentialSource): Forwarder {
  const originsByApi = Object.fromEntries(BEDROCK_APIS.map((api) => [api, createOriginResolver(endpointTemplate(upstream, api))])) as
    Readonly<Record<BedrockApi, (region: string) => UpstreamOrigin>>
  const signer = createUpstreamSigner(() => credentials.get())
  const agent = new Agent({
    connections: null,
    connect: { timeout: upstream.connectTimeoutMs },
    headersTimeout: upstream.headersTimeoutMs,
    bodyTimeout: upstream.bodyIdleTimeoutMs
  })

  return {
    async forward (request, signal) {
      signal.throwIfAborted()
      const method = upstreamMethod(request.method)
      const origin = originsByApi[request.api](request.region)
      const { path, query, target } = upstreamTarget(request.path, request.query)
      const headers = await signer.sign({
        region: request.region,
        signingName: signingName(upstream, request.api),
        method,
        origin,
        path,
        query,
        headers: request.headers,
        bodySha256Hex: request.bodySha256Hex
      })
      const sentAt = performance.now()
      try {
        const response = await agent.request({ origin: origin.origin, method, path: target, ...sendable(request.body, headers), signal })
        return { status: response.statusCode, headers: response.headers, body: response.body, sentAt }
      } catch (error) {
        if (signal.aborted) throw signal.reason
        throw failureBeforeResponse(error, request.region)
      }
    },

    async openEventStream (request) {
      const origin = originsByApi[request.api](request.region)
      const { path, target } = upstreamTarget(request.path, '')
      const signed = await signer.signEventStream({
        region: request.region,
        signingName: signingName(upstream, request.api),
        method: EVENT_STREAM_METHOD,
        origin,
        path,
        query: '',
        headers: request.headers
      })
      return openUpstreamEventStream(origin, target, signed, upstream, request.region)
    },

    close: () => agent.close()
  }
}
