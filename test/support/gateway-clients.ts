import { Agent } from 'node:http'
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { Test } from 'tap'
import { FAKE_UPSTREAM_CREDENTIALS, type ClientCredentials, type RawResponse, type RecordedRequest } from './fake-bedrock/index.ts'

/**
 * The real @aws-sdk/client-bedrock-runtime pointed at the gateway, over either transport a caller may use: the SDK's
 * default handler (HTTP/2 with prior knowledge on an http:// endpoint) or NodeHttpHandler (HTTP/1.1).
 */
export const SDK_TRANSPORTS = ['HTTP/2 (SDK default handler)', 'HTTP/1.1 (NodeHttpHandler)'] as const
export type SdkTransport = (typeof SDK_TRANSPORTS)[number]

export interface GatewayClientOptions {
  readonly region: string
  /** A SigV4 key pair; without one (and without `bearerToken`) the client signs with keys the gateway never issued. */
  readonly credentials?: ClientCredentials
  /** Sends `Authorization: Bearer <token>` instead of signing. */
  readonly bearerToken?: string
  readonly systemClockOffsetMs?: number
  /** HTTP/1.1 only: sockets the client may open at once (NodeHttpHandler's agent allows 50 by default). */
  readonly maxSockets?: number
}

const BEARER_AUTH_SCHEME = 'httpBearerAuth'

/** A client over `transport`, destroyed (its connections closed) when the test ends. */
export function gatewayClient (t: Test, transport: SdkTransport, endpoint: string, options: GatewayClientOptions): BedrockRuntimeClient {
  const auth = options.bearerToken === undefined
    ? { credentials: options.credentials ?? FAKE_UPSTREAM_CREDENTIALS }
    : { token: { token: options.bearerToken }, authSchemePreference: [BEARER_AUTH_SCHEME] }
  const client = new BedrockRuntimeClient({
    endpoint,
    region: options.region,
    maxAttempts: 1,
    ...auth,
    ...(options.systemClockOffsetMs === undefined ? {} : { systemClockOffset: options.systemClockOffsetMs }),
    ...(transport === 'HTTP/1.1 (NodeHttpHandler)'
      ? { requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? Infinity }) }) }
      : {})
  })
  t.teardown(() => client.destroy())
  return client
}

/** Request headers a caller sends that must never reach Bedrock: credentials, SDK bookkeeping, proxy hints. */
export const CALLER_ONLY_HEADERS = [
  'x-amz-security-token',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'forwarded',
  'cookie'
] as const

/** The caller-only headers a request that reached the fake still carried (none, when the gateway rebuilt it). */
export function leakedHeaders (record: RecordedRequest): string[] {
  return CALLER_ONLY_HEADERS.filter((name) => record.headers[name] !== undefined)
}

/**
 * Bedrock's error shape, as a raw reader sees it: the status, `x-amzn-ErrorType`, a request id, and the same error
 * name in the JSON body (LiteLLM classifies errors by the body text alone).
 */
export function assertBedrockError (t: Test, response: RawResponse, status: number, name: string): void {
  t.equal(response.status, status)
  t.equal(response.headers['x-amzn-errortype'], name)
  t.equal(response.headers['content-type'], 'application/json')
  t.match(response.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/)
  t.match(JSON.parse(response.body.toString('utf8')), { __type: name, message: String })
}

/**
 * The `limits` line for a harness whose callers run in the gateway's own process: event-loop load shedding off,
 * because the SDK's cold start alone can stall the shared event loop past the shedding limit, and the gateway would
 * then answer the test's requests with 503 ServiceUnavailableException.
 */
export function inProcessLimitsYaml (limits: Readonly<Record<string, number>> = {}): string {
  return `limits: ${JSON.stringify({ maxEventLoopDelayMs: 0, ...limits })}`
}
