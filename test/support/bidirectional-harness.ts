import http2 from 'node:http2'
import { pino } from 'pino'
import type { Test } from 'tap'
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { NodeHttp2Handler } from '@smithy/node-http-handler'
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { loadConfig } from '../../src/config/load-config.ts'
import { startGateway, type RunningGateway } from '../../src/server/serve.ts'
import { writeConfig } from './config-file.ts'
import {
  envelopeSignature,
  FAKE_UPSTREAM_CREDENTIALS,
  signedHeaders,
  startFakeBidirectional,
  type ClientCredentials,
  type FakeBidirectional,
  type FakeBidirectionalOptions
} from './fake-bedrock/index.ts'
import { SIGV4_CLIENT, TEST_ENV, testConfigYaml } from './gateway-harness.ts'
import { inProcessLimitsYaml } from './gateway-clients.ts'
import { selfSignedCertificate } from './self-signed-certificate.ts'

export const NOVA_SONIC = 'amazon.nova-sonic-v1:0'
export const BIDIRECTIONAL_OPERATION = 'InvokeModelWithBidirectionalStream'
const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-EVENTS'
const codec = new EventStreamCodec(toUtf8, fromUtf8)

export interface BidirectionalHarness {
  readonly url: string
  /** The test CA: the gateway's self-signed certificate for 127.0.0.1. */
  readonly cert: string
  /** The same certificate's file. */
  readonly certPath: string
  readonly fake: FakeBidirectional
  readonly gateway: RunningGateway
  readonly logLines: string[]
}

export interface BidirectionalHarnessOptions {
  /** Whether allow.operations lists InvokeModelWithBidirectionalStream (it is off by default). */
  readonly enabled?: boolean
  readonly limits?: Readonly<Record<string, number>>
  /** More of the config, after the limits (e.g. a `shutdown` section). */
  readonly extraYaml?: string
  readonly fake?: FakeBidirectionalOptions
}

/** The fake bidirectional Bedrock, and the gateway in front of it on a TLS listener, torn down when the test ends. */
export async function startBidirectionalHarness (t: Test, options: BidirectionalHarnessOptions = {}): Promise<BidirectionalHarness> {
  const fake = await startFakeBidirectional(options.fake)
  t.teardown(() => fake.close())
  const { certPath, keyPath, cert } = selfSignedCertificate(t)
  const yaml = testConfigYaml(fake.url, `${inProcessLimitsYaml(options.limits)}\n${options.extraYaml ?? ''}`, fake.url, fake.url,
    options.enabled === false ? [] : [BIDIRECTIONAL_OPERATION])
    .replace('listen: { host: 127.0.0.1, port: 0 }', `listen: { host: 127.0.0.1, port: 0, tls: { cert: "\${file:${certPath}}", key: "\${file:${keyPath}}" } }`)
  const config = await loadConfig(writeConfig(t, yaml), TEST_ENV)
  const logLines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { logLines.push(line) } })
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger, env: {} })
  t.teardown(() => gateway.shutdown())
  return { url: gateway.url, cert, certPath, fake, gateway, logLines }
}

/** The AWS SDK for JavaScript v3 as a Nova Sonic caller uses it: HTTP/2, trusting the test CA. */
export function bidirectionalClient (harness: Pick<BidirectionalHarness, 'url' | 'cert'>, credentials: ClientCredentials = SIGV4_CLIENT): BedrockRuntimeClient {
  const requestHandler = new NodeHttp2Handler({ requestTimeout: 10_000, sessionTimeout: 10_000, nodeHttp2ConnectOptions: { ca: harness.cert } })
  return new BedrockRuntimeClient({ endpoint: harness.url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler })
}

/** An inner `chunk` event as the SDK encodes it: the bytes go base64 in a JSON payload. */
export function innerChunkEvent (bytes: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' }
    },
    body: fromUtf8(JSON.stringify({ bytes: Buffer.from(bytes).toString('base64') }))
  })
}

export interface RawAnswer {
  readonly status: number
  readonly headers: http2.IncomingHttpHeaders
  /** Every frame the gateway sent, decoded; empty for an error answer. */
  readonly frames: Message[]
  readonly text: string
}

export interface RawCallerOptions {
  readonly modelId?: string
  readonly credentials?: ClientCredentials
  readonly bearerKey?: string
}

/**
 * A caller written by hand, to send what no SDK would: it signs the opening request with @smithy/signature-v4 and
 * each envelope with the fake's chain code, and can tamper, replay or misdate any envelope.
 */
export class RawBidirectionalCaller {
  readonly #stream: http2.ClientHttp2Stream
  readonly #session: http2.ClientHttp2Session
  readonly #secret: string
  #prior: string
  readonly answer: Promise<RawAnswer>
  /** Envelopes sent so far, as sent. */
  readonly sent: Uint8Array[] = []

  private constructor (session: http2.ClientHttp2Session, stream: http2.ClientHttp2Stream, seed: string, secret: string) {
    this.#session = session
    this.#stream = stream
    this.#prior = seed
    this.#secret = secret
    this.answer = new Promise((resolve, reject) => {
      stream.once('response', (headers) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => {
          chunks.push(chunk)
          this.#countFrames(chunk)
        })
        // The answer is whole once its side ends, whether or not the request's side is still open.
        stream.once('end', () => {
          const body = Buffer.concat(chunks)
          const status = Number(headers[':status'])
          resolve({ status, headers, frames: status === 200 ? decodeAll(body) : [], text: body.toString('utf8') })
        })
      })
      stream.once('error', reject)
    })
  }

  #pending: Buffer = Buffer.alloc(0)
  #framesReceived = 0
  #frameWaiters: Array<{ readonly count: number, readonly resolve: () => void }> = []

  #countFrames (chunk: Buffer): void {
    this.#pending = Buffer.concat([this.#pending, chunk])
    while (this.#pending.length >= 4 && this.#pending.length >= this.#pending.readUInt32BE(0)) {
      this.#pending = this.#pending.subarray(this.#pending.readUInt32BE(0))
      this.#framesReceived++
    }
    const ready = this.#frameWaiters.filter((waiter) => waiter.count <= this.#framesReceived)
    this.#frameWaiters = this.#frameWaiters.filter((waiter) => waiter.count > this.#framesReceived)
    for (const waiter of ready) waiter.resolve()
  }

  /** Resolves once `count` whole frames of the answer have arrived. */
  waitForFrames (count: number): Promise<void> {
    if (this.#framesReceived >= count) return Promise.resolve()
    return new Promise((resolve) => this.#frameWaiters.push({ count, resolve }))
  }

  /**
   * Opens a stream as `credentials` sign it, or, with `bearerKey`, as a bearer caller (whose envelopes are then signed
   * on a chain nobody checks).
   */
  static async open (harness: Pick<BidirectionalHarness, 'url' | 'cert'>, options: RawCallerOptions = {}): Promise<RawBidirectionalCaller> {
    const { modelId = NOVA_SONIC, credentials = SIGV4_CLIENT, bearerKey } = options
    const path = `/model/${encodeURIComponent(modelId)}/invoke-with-bidirectional-stream`
    const eventStreamHeaders = { 'content-type': 'application/vnd.amazon.eventstream', 'x-amz-content-sha256': STREAMING_PAYLOAD }
    const headers = bearerKey === undefined
      ? await signedHeaders(harness.url, { method: 'POST', path, region: 'us-east-1', credentials, headers: eventStreamHeaders })
      : { ...eventStreamHeaders, host: new URL(harness.url).host, authorization: `Bearer ${bearerKey}` }
    const { host, ...rest } = headers
    const session = http2.connect(harness.url, { ca: harness.cert })
    session.on('error', () => {})
    const stream = session.request({ ':method': 'POST', ':path': path, ':authority': host, ...rest })
    const seed = /Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? '')?.[1] ?? ''
    return new RawBidirectionalCaller(session, stream, seed, credentials.secretAccessKey)
  }

  /** The next envelope on the chain around `payload`; `tamper` changes the payload after it was signed. */
  envelope (payload: Uint8Array, options: { readonly dateMs?: number; readonly tamper?: boolean } = {}): Uint8Array {
    const dateMs = options.dateMs ?? Date.now()
    const signature = envelopeSignature({ secretAccessKey: this.#secret, region: 'us-east-1', service: 'bedrock' }, this.#prior, dateMs, payload)
    this.#prior = signature.toString('hex')
    const body = options.tamper === true ? Buffer.concat([payload, Buffer.from(' ')]) : payload
    return codec.encode({
      headers: { ':date': { type: 'timestamp', value: new Date(dateMs) }, ':chunk-signature': { type: 'binary', value: signature } },
      body
    })
  }

  /** Sends bytes as they are: an envelope, or anything else. */
  send (envelope: Uint8Array): void {
    this.sent.push(envelope)
    this.#stream.write(envelope)
  }

  /** Sends the signed end frame and ends the request. */
  end (): void {
    this.#stream.end(this.envelope(new Uint8Array(0)))
  }

  /** Resets the stream (RST_STREAM CANCEL), as a caller that gives up does, and closes the connection. */
  close (): void {
    this.#stream.close(http2.constants.NGHTTP2_CANCEL)
    this.#stream.destroy()
    this.#session.destroy()
  }
}

function decodeAll (body: Buffer): Message[] {
  const frames: Message[] = []
  for (let at = 0; at < body.length;) {
    const length = body.readUInt32BE(at)
    frames.push(codec.decode(body.subarray(at, at + length)))
    at += length
  }
  return frames
}
