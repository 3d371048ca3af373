/** Seeded request generation for the HTTP-level fuzzer: the same seed and case number always give the same request. */

/** mulberry32: small, fast and good enough to spread cases; never used for anything secret. */
export function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

export interface FuzzCase {
  readonly index: number
  readonly transport: 'http/1.1' | 'h2c'
  readonly method: string
  /** The request target exactly as sent. */
  readonly target: string
  /** The region the signature is scoped to. */
  readonly scopeRegion: string
  /** Headers beyond those the signer adds; a repeated name is sent twice (HTTP/1.1 only). */
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>
  readonly body: string
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-2', 'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1', 'us-gov-west-1']
const MODEL_IDS = [
  'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon.nova-lite-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
  'eu.anthropic.claude-3-5-sonnet-20241022-v2:0',
  'apac.amazon.nova-micro-v1:0',
  'global.anthropic.claude-sonnet-4-20250514-v1:0',
  'us-gov.anthropic.claude-3-haiku-20240307-v1:0'
]
const SUFFIXES = ['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream', 'count-tokens', 'Converse', 'converse/', 'converse?x=1', 'invoke#f', 'guardrail']
const METHODS = ['POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'post', 'DELETE', 'PATCH']
const DUPLICABLE_HEADERS = ['content-type', 'x-amz-date', 'host', 'x-amzn-bedrock-trace', 'accept', 'x-amz-security-token']
const SMUGGLED_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['x-forwarded-host', 'bedrock-runtime.eu-central-1.amazonaws.com'],
  ['x-amz-security-token', 'caller-session-token'],
  ['x-amzn-bedrock-guardrailidentifier', 'gr-fuzz'],
  ['cookie', 'session=caller'],
  [':authority', 'x'],
  ['x-amz-content-sha256', 'UNSIGNED-PAYLOAD']
]

function pick<T> (random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

/** Percent-encodes some characters of `text` (any of them, reserved or not), in upper or lower case hex. */
function encodeSome (random: () => number, text: string, share: number): string {
  let out = ''
  for (const character of text) {
    if (random() < share) {
      const hex = [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')
      out += random() < 0.5 ? hex.toUpperCase() : hex
    } else {
      out += character === ':' && random() < 0.7 ? '%3A' : character
    }
  }
  return out
}

function modelIdFor (random: () => number, region: string): string {
  const roll = random()
  const base = pick(random, MODEL_IDS)
  if (roll < 0.55) return base
  const arnRegion = random() < 0.6 ? region : pick(random, REGIONS)
  if (roll < 0.7) return `arn:aws:bedrock:${arnRegion}::foundation-model/${pick(random, MODEL_IDS.slice(0, 3))}`
  if (roll < 0.8) return `arn:aws:bedrock:${arnRegion}:111122223333:inference-profile/${base}`
  if (roll < 0.85) return `arn:${random() < 0.5 ? 'aws-cn' : 'aws'}:bedrock:${arnRegion}:111122223333:application-inference-profile/abc123`
  if (roll < 0.9) return base.replace('.', random() < 0.5 ? '..' : '/')
  if (roll < 0.95) return `${base}${pick(random, ['\u00e9', '/../x', '%', ' ', '\t', '\u0000', '.'])}`
  return 'x'.repeat(1 + Math.floor(random() * 3000))
}

function bodyFor (random: () => number, suffix: string): string {
  const roll = random()
  const messages = [{ role: 'user', content: [{ text: 'hi' }] }]
  if (roll < 0.7) return JSON.stringify(suffix.startsWith('invoke') ? { anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages } : { messages })
  if (roll < 0.8) return JSON.stringify({ messages, modelId: pick(random, MODEL_IDS), guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' } })
  if (roll < 0.9) return '{"messages": [' // cut short
  return ''
}

const OPENAI_MODEL_IDS = ['openai.gpt-oss-20b-1:0', 'us.openai.gpt-5.6-sol', 'global.openai.gpt-5.6-sol', 'eu.openai.gpt-5.6-sol']

/** An OpenAI Chat Completions body naming its model once, twice, in another case, escaped, mistyped or nested. */
function openAIBodyFor (random: () => number, modelId: string): string {
  const other = pick(random, [...OPENAI_MODEL_IDS, ...MODEL_IDS])
  const messages = '[{"role":"user","content":"hi"}]'
  const quoted = JSON.stringify(modelId)
  const shapes = [
    `{"model":${quoted},"messages":${messages}}`,
    `{"model":${quoted},"messages":${messages},"stream":${random() < 0.5 ? 'true' : 'false'}}`,
    `{"model":${quoted},"messages":${messages},"model":${JSON.stringify(other)}}`,
    `{"Model":${JSON.stringify(other)},"model":${quoted},"messages":${messages}}`,
    `{"mod\\u0065l":${JSON.stringify(other)},"model":${quoted}}`,
    `{"model":${JSON.stringify(encodeSome(random, modelId, 0.3))},"messages":${messages}}`,
    `{"model":[${quoted}],"messages":${messages}}`,
    `{"messages":[{"role":"user","content":"hi","model":${JSON.stringify(other)}}],"model":${quoted}}`,
    `{"model":${quoted},"stream":"true"}`,
    `{"model":${quoted},"stream":true,"stream":false}`,
    `[{"model":${quoted}}]`,
    `{"model":${quoted}`
  ]
  return pick(random, shapes)
}

/** A case for the runtime's OpenAI Chat Completions path, whose model id is in the body. */
function openAICase (random: () => number, index: number, scopeRegion: string): FuzzCase {
  const modelId = random() < 0.6 ? pick(random, OPENAI_MODEL_IDS) : modelIdFor(random, scopeRegion)
  const prefixRoll = random()
  const prefix = prefixRoll < 0.7 ? '' : `/${prefixRoll < 0.85 ? scopeRegion : pick(random, REGIONS)}`
  const path = pick(random, ['/openai/v1/chat/completions', '/openai/v1/chat/completions', '/mantle/openai/v1/chat/completions', '/openai/v1/chat/completions/', '/OpenAI/v1/chat/completions'])
  return {
    index,
    transport: random() < 0.2 ? 'h2c' : 'http/1.1',
    method: pick(random, METHODS),
    target: `${prefix}${path}`,
    scopeRegion,
    extraHeaders: random() < 0.15 ? [pick(random, SMUGGLED_HEADERS)] : [],
    body: openAIBodyFor(random, modelId)
  }
}

/** Case `index` of the run seeded with `seed`. */
export function generateCase (seed: number, index: number): FuzzCase {
  const random = seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)
  const scopeRegion = random() < 0.7 ? pick(random, REGIONS.slice(0, 5)) : pick(random, REGIONS)
  if (random() < 0.2) return openAICase(random, index, scopeRegion)
  const modelId = modelIdFor(random, scopeRegion)
  const suffix = random() < 0.8 ? pick(random, SUFFIXES.slice(0, 4)) : pick(random, SUFFIXES)
  const label = encodeSome(random, modelId, random() < 0.3 ? 0.3 : 0)
  const doubled = random() < 0.05 ? label.replaceAll('%', '%25') : label
  const prefixRoll = random()
  const prefix = prefixRoll < 0.8 ? '' : `/${prefixRoll < 0.9 ? scopeRegion : pick(random, REGIONS)}`
  const dotted = random() < 0.04 ? pick(random, ['/./', '/%2e/', '/x/../', '//']) : '/'
  const target = `${prefix}/model${dotted}${doubled}/${suffix}`
  const extraHeaders: Array<readonly [string, string]> = []
  if (random() < 0.15) extraHeaders.push(pick(random, SMUGGLED_HEADERS))
  if (random() < 0.1) extraHeaders.push([pick(random, DUPLICABLE_HEADERS), 'duplicate'])
  return {
    index,
    transport: random() < 0.2 ? 'h2c' : 'http/1.1',
    method: pick(random, METHODS),
    target,
    scopeRegion,
    extraHeaders,
    body: bodyFor(random, suffix)
  }
}
