/**
 * What the bench sends and what its upstream answers, shared by the load generator and the upstream process.
 * Shapes follow bedrock-runtime: a 2 KB Converse request, a ~1 KB Converse reply, a ConverseStream whose frames are
 * paced like a model generating, and an InvokeModel with a 20 MB body.
 */
import { eventFrame } from '../../test/support/fake-bedrock/event-stream.ts'

export const LOOPBACK_HOST = '127.0.0.1'
export const REGION = 'us-east-1'
export const MODEL_ID = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
/** As the AWS SDKs and botocore put it on the wire: the model id percent-encoded once. */
const ENCODED_MODEL_ID = encodeURIComponent(MODEL_ID)
export const CONVERSE_PATH = `/model/${ENCODED_MODEL_ID}/converse`
export const CONVERSE_STREAM_PATH = `/model/${ENCODED_MODEL_ID}/converse-stream`
export const INVOKE_PATH = `/model/${ENCODED_MODEL_ID}/invoke`
/** Loopback anonymous mode: the gateway takes the region from this prefix, so the request needs no signature. */
export const REGION_PREFIX = `/${REGION}`

export const JSON_CONTENT_TYPE = 'application/json'
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream'
export const REQUEST_ID_HEADER = 'x-amzn-requestid'

/** The gateway's upstream credentials. The bench upstream checks no signature, so they only need to look right. */
export const UPSTREAM_CREDENTIALS = {
  accessKeyId: 'AKIDBENCHUPSTREAM001',
  secretAccessKey: 'bench-upstream-secret-not-an-aws-key-0001',
  sessionToken: 'bench-upstream-session-token-not-real-0001'
} as const

/** The SigV4 key pair the gateway issues to the bench client (what LiteLLM would be configured with). */
export const GATEWAY_CLIENT = {
  name: 'bench',
  accessKeyId: 'GEOFENCEBENCH0001',
  secretAccessKey: 'bench-gateway-issued-secret-0001'
} as const

const CONVERSE_REQUEST_BYTES = 2048
const CONVERSE_REPLY_BYTES = 1024
export const LARGE_BODY_BYTES = 20 * 1024 * 1024

/** JSON of exactly `bytes` bytes: the text field is padded until it fits. */
function jsonOfSize (bytes: number, build: (text: string) => unknown): Buffer {
  const overhead = Buffer.byteLength(JSON.stringify(build('')))
  const json = Buffer.from(JSON.stringify(build('a'.repeat(bytes - overhead))))
  if (json.length !== bytes) throw new Error(`workload: built ${json.length} bytes instead of ${bytes}`)
  return json
}

export const CONVERSE_REQUEST_BODY = jsonOfSize(CONVERSE_REQUEST_BYTES, (text) => ({
  messages: [{ role: 'user', content: [{ text }] }],
  inferenceConfig: { maxTokens: 512, temperature: 0.2 }
}))

export const CONVERSE_REPLY_BODY = jsonOfSize(CONVERSE_REPLY_BYTES, (text) => ({
  output: { message: { role: 'assistant', content: [{ text }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 512, outputTokens: 230, totalTokens: 742 },
  metrics: { latencyMs: 420 }
}))

/** An opaque Anthropic-format InvokeModel body padded to 20 MB (a large document or image batch). */
export function largeInvokeBody (): Buffer {
  return jsonOfSize(LARGE_BODY_BYTES, (text) => ({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 256,
    messages: [{ role: 'user', content: [{ type: 'text', text }] }]
  }))
}

export const STREAM_DELTA_COUNT = 10
/** Time between two deltas: each stream lasts about 10 x 20 ms, like a short generation. */
export const STREAM_FRAME_INTERVAL_MS = 20

/** ConverseStream's events: the first goes out with the headers, the deltas paced, the closing ones together. */
export const STREAM_FIRST_FRAME = eventFrame('messageStart', { p: 'abcd', role: 'assistant' })
export const STREAM_DELTA_FRAME = eventFrame('contentBlockDelta', { p: 'abcdefgh', contentBlockIndex: 0, delta: { text: 'The quick brown fox jumps over the lazy dog. ' } })
export const STREAM_CLOSING_FRAMES = Buffer.concat([
  eventFrame('contentBlockStop', { p: 'ab', contentBlockIndex: 0 }),
  eventFrame('messageStop', { p: 'abcdef', stopReason: 'end_turn' }),
  eventFrame('metadata', { p: 'abc', usage: { inputTokens: 512, outputTokens: 90, totalTokens: 602 }, metrics: { latencyMs: 230 } })
])
