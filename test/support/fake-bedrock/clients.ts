import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { Hash } from '@smithy/hash-node'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { FAKE_UPSTREAM_CREDENTIALS, SIGNING_SERVICE } from './constants.ts'

/**
 * Clients for talking to a fake (or the gateway) the way real callers do. These sign with the AWS libraries, as
 * callers would; the fakes themselves verify with their own code (sigv4/), never with these.
 */

export interface ClientCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
}

export interface RuntimeClientOptions {
  readonly credentials?: ClientCredentials
  readonly region?: string
  /** NodeHttpHandler's request timeout, made to throw (TimeoutError) rather than only warn. */
  readonly requestTimeoutMs?: number
  /** NodeHttpHandler's socket idle timeout: how long a stream may stay silent. */
  readonly socketTimeoutMs?: number
  /** SDK attempts in total; default 1, so a fault surfaces instead of being retried away. */
  readonly maxAttempts?: number
  readonly systemClockOffsetMs?: number
}

const DEFAULT_CLIENT_REGION = 'us-east-1'

/** The real @aws-sdk/client-bedrock-runtime over HTTP/1.1 (NodeHttpHandler), pointed at `endpoint`. */
export function runtimeClientFor (endpoint: string, options: RuntimeClientOptions = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint,
    region: options.region ?? DEFAULT_CLIENT_REGION,
    credentials: options.credentials ?? FAKE_UPSTREAM_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.systemClockOffsetMs === undefined ? {} : { systemClockOffset: options.systemClockOffsetMs }),
    requestHandler: new NodeHttpHandler({
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeout: options.requestTimeoutMs, throwOnRequestTimeout: true }),
      ...(options.socketTimeoutMs === undefined ? {} : { socketTimeout: options.socketTimeoutMs })
    })
  })
}

export interface RawResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

export interface RawRequest {
  readonly method: string
  /** Sent byte for byte as the request target: path and query, encoded as the caller chooses. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Buffer
}

/** One HTTP/1.1 request with nothing added but what node:http requires (Host, Content-Length). */
export function sendRaw (baseUrl: string, spec: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: spec.method,
      path: spec.path,
      headers: spec.headers,
      agent: false
    }, res => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(spec.body)
  })
}

export interface SignedRequest extends RawRequest {
  readonly region: string
  readonly credentials?: ClientCredentials
  readonly signingDate?: Date
  /** The signing name; `bedrock` unless given (bedrock-mantle callers may sign for `bedrock-mantle`). */
  readonly service?: string
}

/**
 * The headers @smithy/signature-v4 (service `bedrock`) adds to sign exactly `path` (its query included), Host and
 * the given headers included. The path is not re-encoded, so percent-encoded labels arrive as given.
 */
export async function signedHeaders (baseUrl: string, spec: SignedRequest): Promise<Record<string, string>> {
  const url = new URL(baseUrl)
  const queryStart = spec.path.indexOf('?')
  const signer = new SignatureV4({
    service: spec.service ?? SIGNING_SERVICE,
    region: spec.region,
    credentials: spec.credentials ?? FAKE_UPSTREAM_CREDENTIALS,
    sha256: Hash.bind(null, 'sha256'),
    // the path given is already encoded once, as a client would send it; the signer encodes it once more
    uriEscapePath: true
  })
  const query: Record<string, string> = {}
  if (queryStart !== -1) {
    for (const [name, value] of new URLSearchParams(spec.path.slice(queryStart + 1))) query[name] = value
  }
  const signed = await signer.sign(new HttpRequest({
    method: spec.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: queryStart === -1 ? spec.path : spec.path.slice(0, queryStart),
    query,
    headers: { host: url.host, ...spec.headers },
    ...(spec.body === undefined ? {} : { body: spec.body })
  }), spec.signingDate === undefined ? {} : { signingDate: spec.signingDate })
  return signed.headers as Record<string, string>
}

/** Signs as `signedHeaders` does and sends the request raw. */
export async function sendSigned (baseUrl: string, spec: SignedRequest): Promise<RawResponse> {
  return sendRaw(baseUrl, { ...spec, headers: await signedHeaders(baseUrl, spec) })
}
