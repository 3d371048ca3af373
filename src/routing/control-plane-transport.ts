import { createHash } from 'node:crypto'
import { Agent } from 'undici'
import { ERROR_TYPE_HEADER } from '../core/index.ts'
import { BEDROCK_SIGNING_SERVICE } from '../bedrock/index.ts'
import { createOriginResolver, createUpstreamSigner, errorCode, NO_CREDENTIALS_ADVICE, upstreamTarget } from '../upstream/index.ts'
import { ControlPlaneError, errorTypeOf, failureKindOf } from './control-plane-failure.ts'
import type { ControlPlaneClientOptions, ControlPlaneFailureKind, ControlPlaneOperation } from './types.ts'

const HTTP_OK = 200
/** sha256 of the empty body every GET sends. */
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const JSON_ACCEPT = { accept: 'application/json' }
const JSON_POST = { accept: 'application/json', 'content-type': 'application/json' }
/** Real answers are a few kilobytes (a flow definition a few tens); anything this large is not one and is not read further. */
const MAX_ANSWER_BYTES = 1_048_576
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** One GET to a control plane. */
export interface ControlPlaneCall {
  readonly operation: ControlPlaneOperation
  readonly region: string
  /** What the call is about, for messages: an identifier, or the profile type listed. */
  readonly subject: string
  readonly path: string
  readonly rawQuery: string
  /** A JSON body: the call is a POST (bedrock-agent's List calls). Absent: a GET. */
  readonly body?: string
}

export function describeCall ({ operation, region, subject }: ControlPlaneCall): string {
  return `${operation} ${subject} in ${region}`
}

export interface ControlPlaneTransport {
  /** The call's JSON answer, parsed by `parse`; rejects with a ControlPlaneError only. */
  answerOf<T> (call: ControlPlaneCall, parse: (json: unknown) => T): Promise<T>
  close (): Promise<void>
}

/**
 * A Bedrock control plane (bedrock or bedrock-agent), called the way the AWS SDK calls it: SigV4 (name `bedrock`)
 * with the gateway's own credentials. Every call has one deadline, connect to last byte. Failures become
 * ControlPlaneErrors whose messages name the call, never the endpoint or anything AWS said.
 */
export function createControlPlaneTransport (options: ControlPlaneClientOptions): ControlPlaneTransport {
  const originFor = createOriginResolver(options.endpointTemplate)
  const signer = createUpstreamSigner(options.credentials)
  const agent = new Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs
  })

  async function getJson (call: ControlPlaneCall): Promise<unknown> {
    const fail = (kind: ControlPlaneFailureKind, what: string, code?: string): ControlPlaneError =>
      new ControlPlaneError(kind, call.operation, `${describeCall(call)} ${what}`, code)
    const signal = AbortSignal.timeout(options.timeoutMs)
    // Signing waits for the credentials: a failure before it is done is about them, not about the network.
    let signed = false
    try {
      const origin = originFor(call.region)
      const { query, target } = upstreamTarget(call.path, call.rawQuery, { trailingSlash: true })
      const method = call.body === undefined ? 'GET' : 'POST'
      const bodySha256Hex = call.body === undefined ? EMPTY_BODY_SHA256 : createHash('sha256').update(call.body).digest('hex')
      const headers = await signer.sign({
        region: call.region, signingName: BEDROCK_SIGNING_SERVICE, method, origin, path: call.path, query, headers: call.body === undefined ? JSON_ACCEPT : JSON_POST, bodySha256Hex
      })
      signed = true
      const response = await agent.request({ origin: origin.origin, method, path: target, headers, signal, ...(call.body === undefined ? {} : { body: call.body }) })
      const text = await readLimited(response.body, () => fail('malformed-answer', `answered with more than ${MAX_ANSWER_BYTES} bytes`))
      const json = parseJson(text)
      if (response.statusCode === HTTP_OK) {
        if (json === undefined) throw fail('malformed-answer', 'answered with something that is not JSON')
        return json
      }
      const header = response.headers[ERROR_TYPE_HEADER]
      const errorType = errorTypeOf(Array.isArray(header) ? header[0] : header, json)
      const named = `HTTP ${response.statusCode}${errorType === undefined ? '' : ` ${errorType}`}`
      const kind = failureKindOf(response.statusCode, errorType)
      throw fail(kind, kind === 'access-denied'
        ? `was refused (${named}): the gateway's role needs bedrock:${call.operation}`
        : `failed (${named})`, errorType)
    } catch (error) {
      if (error instanceof ControlPlaneError) throw error
      if (signal.aborted || TIMEOUT_CODES.has(errorCode(error) ?? '')) throw fail('timeout', `timed out after ${options.timeoutMs} ms`)
      if (!signed) throw fail('no-credentials', `could not be signed: ${NO_CREDENTIALS_ADVICE}`)
      const code = errorCode(error)
      throw fail('unreachable', `could not reach the control plane${code === undefined ? '' : ` (${code})`}`, code)
    }
  }

  return {
    async answerOf (call, parse) {
      const json = await getJson(call)
      try {
        return parse(json)
      } catch (error) {
        throw new ControlPlaneError('malformed-answer', call.operation,
          `${describeCall(call)} gave an answer the gateway cannot use: ${(error as Error).message}`)
      }
    },
    close: () => agent.close()
  }
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

async function readLimited (body: AsyncIterable<Buffer>, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_ANSWER_BYTES) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
