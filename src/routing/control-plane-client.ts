import { Agent } from 'undici'
import { ERROR_TYPE_HEADER } from '../core/index.ts'
import { BEDROCK_SIGNING_SERVICE, encodeLabel, type InferenceProfileDescription, quoteValue } from '../bedrock/index.ts'
import { createOriginResolver, createUpstreamSigner, errorCode, NO_CREDENTIALS_ADVICE, upstreamTarget } from '../upstream/index.ts'
import { ControlPlaneError, errorTypeOf, failureKindOf } from './control-plane-failure.ts'
import { parseInferenceProfile, parseInferenceProfilePage, parsePromptRouter } from './control-plane-answers.ts'
import type {
  ControlPlaneClient,
  ControlPlaneClientOptions,
  ControlPlaneFailureKind,
  ControlPlaneOperation
} from './types.ts'

const HTTP_OK = 200
/** sha256 of the empty body every GET sends. */
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const JSON_ACCEPT = { accept: 'application/json' }
/** Real answers are a few kilobytes; anything this large is not one and is not read further. */
const MAX_ANSWER_BYTES = 1_048_576
/** An account has a few hundred profiles per region at most; a longer chain of pages is a loop. */
const MAX_LIST_PAGES = 100
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

interface Call {
  readonly operation: ControlPlaneOperation
  readonly region: string
  /** What the call is about, for messages: an identifier, or the profile type listed. */
  readonly subject: string
  readonly path: string
  readonly rawQuery: string
}

function describeCall ({ operation, region, subject }: Call): string {
  return `${operation} ${subject} in ${region}`
}

/**
 * The Bedrock control plane, called the way the AWS SDK calls it: SigV4 (name `bedrock`) with the gateway's own
 * credentials, the identifier percent-encoded as one path segment. Every call has one deadline, connect to last byte.
 * Failures become ControlPlaneErrors whose messages name the call, never the endpoint or anything AWS said.
 */
export function createControlPlaneClient (options: ControlPlaneClientOptions): ControlPlaneClient {
  const originFor = createOriginResolver(options.endpointTemplate)
  const signer = createUpstreamSigner(options.credentials)
  const agent = new Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs
  })

  async function getJson (call: Call): Promise<unknown> {
    const fail = (kind: ControlPlaneFailureKind, what: string): ControlPlaneError =>
      new ControlPlaneError(kind, call.operation, `${describeCall(call)} ${what}`)
    const signal = AbortSignal.timeout(options.timeoutMs)
    // Signing waits for the credentials: a failure before it is done is about them, not about the network.
    let signed = false
    try {
      const origin = originFor(call.region)
      const { query, target } = upstreamTarget(call.path, call.rawQuery)
      const headers = await signer.sign({
        region: call.region, signingName: BEDROCK_SIGNING_SERVICE, method: 'GET', origin, path: call.path, query, headers: JSON_ACCEPT, bodySha256Hex: EMPTY_BODY_SHA256
      })
      signed = true
      const response = await agent.request({ origin: origin.origin, method: 'GET', path: target, headers, signal })
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
        : `failed (${named})`)
    } catch (error) {
      if (error instanceof ControlPlaneError) throw error
      if (signal.aborted || TIMEOUT_CODES.has(errorCode(error) ?? '')) throw fail('timeout', `timed out after ${options.timeoutMs} ms`)
      if (!signed) throw fail('no-credentials', `could not be signed: ${NO_CREDENTIALS_ADVICE}`)
      const code = errorCode(error)
      throw fail('unreachable', `could not reach the control plane${code === undefined ? '' : ` (${code})`}`)
    }
  }

  async function answerOf<T> (call: Call, parse: (json: unknown) => T): Promise<T> {
    const json = await getJson(call)
    try {
      return parse(json)
    } catch (error) {
      throw new ControlPlaneError('malformed-answer', call.operation,
        `${describeCall(call)} gave an answer the gateway cannot use: ${(error as Error).message}`)
    }
  }

  return {
    getInferenceProfile (region, identifier) {
      return answerOf({
        operation: 'GetInferenceProfile', region, subject: quoteValue(identifier), path: `/inference-profiles/${encodeLabel(identifier)}`, rawQuery: ''
      }, (json) => parseInferenceProfile(json))
    },

    getPromptRouter (region, promptRouterArn) {
      return answerOf({
        operation: 'GetPromptRouter', region, subject: quoteValue(promptRouterArn), path: `/prompt-routers/${encodeLabel(promptRouterArn)}`, rawQuery: ''
      }, parsePromptRouter)
    },

    async listInferenceProfiles (region, type) {
      const profiles: InferenceProfileDescription[] = []
      const seenTokens = new Set<string>()
      let nextToken: string | undefined
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        // No maxResults: the service's own page size, as the SDK paginators use.
        const tokenQuery = nextToken === undefined ? '' : `nextToken=${encodeLabel(nextToken)}&`
        const call: Call = {
          operation: 'ListInferenceProfiles', region, subject: `(${type})`, path: '/inference-profiles', rawQuery: `${tokenQuery}type=${type}`
        }
        const answer = await answerOf(call, parseInferenceProfilePage)
        profiles.push(...answer.profiles)
        if (answer.nextToken === undefined) return profiles
        if (seenTokens.has(answer.nextToken)) {
          throw new ControlPlaneError('malformed-answer', call.operation, `${describeCall(call)} repeated a page token`)
        }
        seenTokens.add(answer.nextToken)
        nextToken = answer.nextToken
      }
      throw new ControlPlaneError('malformed-answer', 'ListInferenceProfiles',
        `ListInferenceProfiles (${type}) in ${region} went on for more than ${MAX_LIST_PAGES} pages`)
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
