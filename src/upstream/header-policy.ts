import { BedrockError, PSEUDO_HEADER_PREFIX } from '../core/index.ts'
import { lowerCaseHeaderName, type OperationName } from '../bedrock/index.ts'

/**
 * Which headers cross the gateway, in both directions. Requests are rebuilt from an allowlist: only the headers
 * Bedrock's service model defines for the operation go upstream, so no client header (credentials, `x-amz-*`,
 * `x-forwarded-*`, cookies, hop-by-hop) can reach AWS unsigned, stale or forged. Responses come back unchanged but
 * for what belongs to one connection only.
 */

export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * Sent instead of the caller's user agent: CloudTrail then shows that a call came through the gateway, and the
 * caller is identified in the gateway's own log by its configured name. A user agent is not signed, so this is
 * about attribution, not security.
 */
export const GATEWAY_USER_AGENT = 'bedrock-geofence'
const USER_AGENT_HEADER = 'user-agent'
const CONNECTION_HEADER = 'connection'
const SET_COOKIE_HEADER = 'set-cookie'
const REQUEST_METADATA_HEADER = 'x-amzn-bedrock-request-metadata'
/** The service model's length limit for `X-Amzn-Bedrock-Request-Metadata`. */
const MAX_REQUEST_METADATA_CHARS = 8500

const PROTOCOL_HEADERS = ['content-type', 'accept']
/** The InvokeModel parameters that travel as headers (botocore bedrock-runtime 2023-09-30). */
const INVOKE_PARAMETER_HEADERS = [
  'x-amzn-bedrock-trace',
  'x-amzn-bedrock-guardrailidentifier',
  'x-amzn-bedrock-guardrailversion',
  'x-amzn-bedrock-performanceconfig-latency',
  'x-amzn-bedrock-service-tier',
  REQUEST_METADATA_HEADER
]
/** InvokeModelWithResponseStream names the accepted type of its chunks in its own header. */
const STREAM_ACCEPT_HEADER = 'x-amzn-bedrock-accept'

const ONLY_PROTOCOL_HEADERS: ReadonlySet<string> = new Set(PROTOCOL_HEADERS)
/** LiteLLM sends Bedrock's request metadata on the runtime's OpenAI paths too. */
const OPENAI_RUNTIME_HEADERS: ReadonlySet<string> = new Set([...PROTOCOL_HEADERS, REQUEST_METADATA_HEADER])
/** The Anthropic Messages API names its version and beta features in headers (https://docs.anthropic.com/en/api/versioning). */
const ANTHROPIC_HEADERS: ReadonlySet<string> = new Set([...PROTOCOL_HEADERS, 'anthropic-version', 'anthropic-beta'])
const FORWARDED_REQUEST_HEADERS: Readonly<Record<OperationName, ReadonlySet<string>>> = {
  InvokeModel: new Set([...PROTOCOL_HEADERS, ...INVOKE_PARAMETER_HEADERS]),
  InvokeModelWithResponseStream: new Set([...PROTOCOL_HEADERS, STREAM_ACCEPT_HEADER, ...INVOKE_PARAMETER_HEADERS]),
  Converse: ONLY_PROTOCOL_HEADERS,
  ConverseStream: ONLY_PROTOCOL_HEADERS,
  CountTokens: ONLY_PROTOCOL_HEADERS,
  InvokeModelWithBidirectionalStream: ONLY_PROTOCOL_HEADERS,
  StartAsyncInvoke: ONLY_PROTOCOL_HEADERS,
  GetAsyncInvoke: ONLY_PROTOCOL_HEADERS,
  ListAsyncInvokes: ONLY_PROTOCOL_HEADERS,
  ApplyGuardrail: ONLY_PROTOCOL_HEADERS,
  InvokeGuardrailChecks: ONLY_PROTOCOL_HEADERS,
  OpenAIChatCompletions: OPENAI_RUNTIME_HEADERS,
  OpenAIResponses: OPENAI_RUNTIME_HEADERS,
  MantleChatCompletions: ONLY_PROTOCOL_HEADERS,
  MantleOpenAIChatCompletions: ONLY_PROTOCOL_HEADERS,
  MantleResponses: ONLY_PROTOCOL_HEADERS,
  MantleOpenAIResponses: ONLY_PROTOCOL_HEADERS,
  MantleMessages: ANTHROPIC_HEADERS,
  MantleCountTokens: ANTHROPIC_HEADERS,
  Rerank: ONLY_PROTOCOL_HEADERS,
  Retrieve: ONLY_PROTOCOL_HEADERS,
  RetrieveAndGenerate: ONLY_PROTOCOL_HEADERS,
  RetrieveAndGenerateStream: ONLY_PROTOCOL_HEADERS,
  // The agent ARN the call is made for (botocore bedrock-agent-runtime 2023-07-26); its region is checked.
  InvokeAgent: new Set([...PROTOCOL_HEADERS, 'x-amz-source-arn']),
  InvokeInlineAgent: ONLY_PROTOCOL_HEADERS,
  InvokeFlow: ONLY_PROTOCOL_HEADERS
}

/** Headers that describe one connection (RFC 9110 section 7.6.1 and its predecessors), never the message. */
const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  CONNECTION_HEADER,
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings'
])

const NONE_NAMED: ReadonlySet<string> = new Set()
/** Separates the elements of a list-valued header, such as `Connection: keep-alive, x-custom`. */
const HEADER_LIST_SEPARATOR = ','

function joined (value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value.join(', ')
}

/**
 * A header listed in `Connection` is hop-by-hop by the sender's own declaration, whatever its name. Names that are
 * hop-by-hop anyway (the usual `keep-alive`) are left out: neither direction forwards them.
 */
function namedInConnection (headers: HeaderValues): ReadonlySet<string> {
  const connection = headers[CONNECTION_HEADER]
  if (connection === undefined) return NONE_NAMED
  let named: Set<string> | undefined
  for (const listed of joined(connection).split(HEADER_LIST_SEPARATOR)) {
    const name = lowerCaseHeaderName(listed.trim())
    if (name !== '' && !HOP_BY_HOP_HEADERS.has(name)) (named ??= new Set()).add(name)
  }
  return named ?? NONE_NAMED
}

function refuseOverlongRequestMetadata (value: string): void {
  if (value.length > MAX_REQUEST_METADATA_CHARS) {
    throw new BedrockError('ValidationException',
      `1 validation error detected: Value at 'requestMetadata' failed to satisfy constraint: Member must have length less than or equal to ${MAX_REQUEST_METADATA_CHARS}`)
  }
}

/**
 * The headers to send upstream for `operation`: only those Bedrock defines for it, minus any the caller declared
 * hop-by-hop, plus the gateway's user agent. Names come back lower-case. Repeated headers are joined with `, `.
 * Throws a ValidationException for an `X-Amzn-Bedrock-Request-Metadata` longer than Bedrock accepts.
 */
export function upstreamRequestHeaders (clientHeaders: HeaderValues, operation: OperationName): Record<string, string> {
  const allowed = FORWARDED_REQUEST_HEADERS[operation]
  const hopByHop = namedInConnection(clientHeaders)
  const forwarded: Record<string, string> = {}
  // for...in reads no entry arrays; the few names the allowlist keeps are then checked to be own properties.
  for (const rawName in clientHeaders) {
    const name = lowerCaseHeaderName(rawName)
    if (!allowed.has(name) || hopByHop.has(name)) continue
    const value = clientHeaders[rawName]
    if (value === undefined || !Object.hasOwn(clientHeaders, rawName)) continue
    forwarded[name] = joined(value)
  }
  const requestMetadata = forwarded[REQUEST_METADATA_HEADER]
  if (requestMetadata !== undefined) refuseOverlongRequestMetadata(requestMetadata)
  forwarded[USER_AGENT_HEADER] = GATEWAY_USER_AGENT
  return forwarded
}

/**
 * Bedrock's response headers as they go back to the caller: everything (`x-amzn-RequestId`, `x-amzn-ErrorType`,
 * `content-type`, `content-length`, `x-amzn-bedrock-*` ...) except hop-by-hop headers, headers named in
 * `Connection`, pseudo-headers and cookies (the gateway is one origin in front of every region; no AWS cookie
 * belongs to its callers).
 */
export function clientResponseHeaders (upstreamHeaders: HeaderValues): Record<string, string | string[]> {
  const hopByHop = namedInConnection(upstreamHeaders)
  const passed: Record<string, string | string[]> = {}
  for (const rawName in upstreamHeaders) {
    const name = lowerCaseHeaderName(rawName)
    if (HOP_BY_HOP_HEADERS.has(name) || hopByHop.has(name)) continue
    if (name === SET_COOKIE_HEADER || name.startsWith(PSEUDO_HEADER_PREFIX)) continue
    const value = upstreamHeaders[rawName]
    if (value === undefined || !Object.hasOwn(upstreamHeaders, rawName)) continue
    passed[name] = typeof value === 'string' ? value : [...value]
  }
  return passed
}
