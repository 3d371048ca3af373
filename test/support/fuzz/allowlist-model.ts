/**
 * The fuzzer's own model of the shipped allowlist (config/geofence.yaml), written without the gateway's request layer
 * or engine. It over-approximates: whatever it refuses, the gateway must never forward, and whatever the gateway
 * forwards must carry the region, operation and model this model read from the caller's request. The gateway may
 * refuse more (catalog rules, resolution) without that being a failure.
 */
export const MODEL_REGIONS: readonly string[] = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-2', 'ap-southeast-2', 'ap-southeast-4']
export const MODEL_PROFILE_PREFIXES: readonly string[] = ['us']
export const MODEL_OPERATIONS: readonly string[] = ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream']
/** Operations the fuzz target allows beyond the shipped ones, whose model id is in the JSON body. */
export const BODY_MODEL_OPERATIONS: Readonly<Record<string, string>> = { '/openai/v1/chat/completions': 'OpenAIChatCompletions' }

const OPERATION_BY_SUFFIX: Readonly<Record<string, string>> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  'count-tokens': 'CountTokens'
}

/** Geographic prefixes of system inference profiles; an id starting with one of these and a dot is a profile id. */
const GEO_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'ap', 'ca', 'jp', 'au', 'global']
const FOUNDATION_MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/
const ARN = /^arn:([a-z-]+):bedrock:([a-z0-9-]*):(\d{12})?:([a-z-]+)\/(.+)$/

export interface MeantRequest {
  readonly region: string
  readonly operation: string
  readonly modelId: string
}

export type ModelVerdict = { readonly allowed: true, readonly meant: MeantRequest } | { readonly allowed: false, readonly why: string }

/** Percent-decodes once, as UTF-8; undefined when the escapes are malformed. */
export function decodeOnce (label: string): string | undefined {
  try {
    return decodeURIComponent(label)
  } catch {
    return undefined
  }
}

function modelIdProblem (modelId: string, region: string): string | undefined {
  const arn = ARN.exec(modelId)
  if (arn !== null) {
    const [, partition, arnRegion, , resourceType, resource] = arn as unknown as [string, string, string, string, string, string]
    if (partition !== 'aws') return 'partition'
    if (resourceType === 'foundation-model') return arnRegion === region || arnRegion === '' ? modelIdProblem(resource, region) : 'ARN region'
    if (arnRegion !== region) return 'ARN region'
    if (resourceType === 'inference-profile') return modelIdProblem(resource, region)
    // Application profiles and prompt routers need a lookup; the fuzzer's fake control plane knows none.
    return 'resolved resource'
  }
  const dot = modelId.indexOf('.')
  const first = dot === -1 ? '' : modelId.slice(0, dot)
  if (GEO_PREFIXES.includes(first)) return MODEL_PROFILE_PREFIXES.includes(first) && FOUNDATION_MODEL_ID.test(modelId.slice(dot + 1)) ? undefined : 'profile prefix'
  return FOUNDATION_MODEL_ID.test(modelId) ? undefined : 'model id shape'
}

/**
 * The one model a JSON body names, as the fuzzer reads it: anything a second parser could read differently (any
 * escape, a `model` or `stream` key that appears twice in any case, a non-string model, a non-boolean stream) is
 * refused, which over-approximates what the gateway refuses.
 */
function bodyModel (body: string): string | undefined {
  if (body.includes('\\')) return undefined
  const keys = topLevelKeys(body).map((key) => key.toLowerCase())
  if (keys.filter((key) => key === 'model').length !== 1 || keys.filter((key) => key === 'stream').length > 1) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const { model, stream } = parsed as Record<string, unknown>
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') return undefined
  return typeof model === 'string' ? model : undefined
}

/** The keys of the outermost JSON object, in order, repeats kept; for bodies without escapes only. */
function topLevelKeys (body: string): string[] {
  const keys: string[] = []
  let depth = 0
  let expectKey = false
  for (let at = 0; at < body.length; at++) {
    const character = body[at]
    if (character === '"') {
      const end = body.indexOf('"', at + 1)
      if (end === -1) return keys
      if (depth === 1 && expectKey) keys.push(body.slice(at + 1, end))
      expectKey = false
      at = end
    } else if (character === '{' || character === '[') {
      depth++
      expectKey = depth === 1 && character === '{'
    } else if (character === '}' || character === ']') {
      depth--
    } else if (character === ',' && depth === 1) {
      expectKey = true
    }
  }
  return keys
}

/**
 * What the model makes of a request: its method, its target as sent (an optional `/region` prefix, then
 * `/model/{label}/{suffix}`, or a path whose model is in the body), its body and the region its signature is scoped to.
 */
export function judge (method: string, target: string, scopeRegion: string, body = ''): ModelVerdict {
  if (method !== 'POST') return { allowed: false, why: 'method' }
  if (target.includes('?') || target.includes('#')) return { allowed: false, why: 'query' }
  const segments = target.split('/').slice(1)
  let region = scopeRegion
  const regionPrefix = /^\/([a-z0-9-]+)(\/openai\/.*)$/.exec(target)
  const bodyPath = regionPrefix === null ? target : regionPrefix[2] as string
  const bodyOperation = Object.hasOwn(BODY_MODEL_OPERATIONS, bodyPath) ? BODY_MODEL_OPERATIONS[bodyPath] : undefined
  if (bodyOperation !== undefined) {
    if (regionPrefix !== null && regionPrefix[1] !== scopeRegion) return { allowed: false, why: 'prefix region' }
    if (!MODEL_REGIONS.includes(region)) return { allowed: false, why: 'region' }
    const modelId = bodyModel(body)
    if (modelId === undefined || modelId === '') return { allowed: false, why: 'body model' }
    const problem = modelIdProblem(modelId, region)
    return problem === undefined ? { allowed: true, meant: { region, operation: bodyOperation, modelId } } : { allowed: false, why: problem }
  }
  if (segments.length === 4) {
    const prefix = segments.shift() as string
    if (prefix !== scopeRegion) return { allowed: false, why: 'prefix region' }
    region = prefix
  }
  if (segments.length !== 3 || segments[0] !== 'model') return { allowed: false, why: 'path shape' }
  const [, label, suffix] = segments as [string, string, string]
  const operation = OPERATION_BY_SUFFIX[suffix]
  if (operation === undefined || !MODEL_OPERATIONS.includes(operation)) return { allowed: false, why: 'operation' }
  if (!MODEL_REGIONS.includes(region)) return { allowed: false, why: 'region' }
  const modelId = decodeOnce(label)
  if (modelId === undefined || modelId === '' || modelId === '.' || modelId === '..') return { allowed: false, why: 'label' }
  const problem = modelIdProblem(modelId, region)
  return problem === undefined ? { allowed: true, meant: { region, operation, modelId } } : { allowed: false, why: problem }
}
