import type { ResourceIdentifier } from './identifier-types.ts'
import { ARN_SCHEME, parseArn } from './arn.ts'
import { SYSTEM_PROFILE_PREFIXES } from './profile-prefixes.ts'
import { holdsDotSegment, isDotSegment, percentDecodeOnce } from './path-labels.ts'
import { quoteValue } from './quote-value.ts'
import { URL_PATH_SEPARATOR } from '../core/index.ts'

/** Service model limits for the modelId member (CountTokens has its own, shorter one). */
export const MODEL_ID_MAX_LENGTH = 2048
export const COUNT_TOKENS_MODEL_ID_MAX_LENGTH = 256
/** Each decoded character takes at most three raw ones (`%XX`); anything longer cannot decode to a valid id. */
const MAX_ESCAPED_WIDTH = 3

export type ModelIdText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string }

export type ModelIdParse =
  | { readonly ok: true; readonly id: ResourceIdentifier }
  | { readonly ok: false; readonly reason: 'MALFORMED_REQUEST' | 'MODEL_KIND_NOT_ALLOWED'; readonly message: string }

const ID_SEGMENT_SEPARATOR = '.'
const PERCENT = '%'
const ARN_PREFIX = ARN_SCHEME + ':'
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\x00-\x1f\x7f-\x9f]/
/** Everything a plain (non-ARN) id may contain; the service's own pattern ends in `[a-zA-Z0-9-:.]+`. */
const PLAIN_ID = /^[A-Za-z0-9_:.-]+$/
/** `<prefix>.<provider>.<model>` */
const MIN_PROFILE_ID_SEGMENTS = 3

/**
 * The model id path label, percent-decoded exactly once: raw `:` and `%3A` give the same id. Refuses a raw `/`, invalid
 * escapes, and everything {@link checkModelIdText} refuses, so a second decoding layer anywhere cannot change it.
 */
export function decodeModelIdLabel (rawLabel: string, maxLength: number = MODEL_ID_MAX_LENGTH): ModelIdText {
  if (rawLabel.length > maxLength * MAX_ESCAPED_WIDTH) return tooLong(maxLength)
  if (rawLabel.includes(URL_PATH_SEPARATOR)) return { ok: false, message: `model id ${quoteValue(rawLabel)} holds a raw '/'` }
  const decoded = percentDecodeOnce(rawLabel)
  if (!decoded.ok) return { ok: false, message: `model id ${decoded.message}` }
  return checkModelIdText(decoded.value, maxLength)
}

/**
 * Checks a model id that is already decoded (a path label after {@link decodeModelIdLabel}, or a JSON body value):
 * not empty, not too long, no control characters, no `%` left over from double encoding, no dot or empty segments.
 */
export function checkModelIdText (text: string, maxLength: number = MODEL_ID_MAX_LENGTH): ModelIdText {
  if (text.length === 0) return { ok: false, message: 'model id is empty' }
  if (text.length > maxLength) return tooLong(maxLength)
  if (CONTROL_CHARACTER.test(text)) return { ok: false, message: `model id ${quoteValue(text)} holds control characters` }
  if (text.includes(PERCENT)) {
    return { ok: false, message: `model id ${quoteValue(text)} still holds '%' after decoding once (double encoding?)` }
  }
  // Without a '/' the id is its one segment, and splitting it would only copy it.
  if (text.includes(URL_PATH_SEPARATOR) ? holdsDotSegment(text.split(URL_PATH_SEPARATOR)) : isDotSegment(text)) {
    return { ok: false, message: `model id ${quoteValue(text)} holds a dot or empty segment` }
  }
  return { ok: true, text }
}

/**
 * Classifies a decoded model id. Fail-closed rule for dotted ids: only a first segment that is a known foundation-model
 * provider, spelled exactly (`anthropic.`), makes a single-region foundation model. Any other first segment (`us.`,
 * `US.`, `Eu.`, an unknown provider) makes an inference-profile id with that segment as its prefix, which the engine
 * allows only when that exact prefix is allowed and the routing catalog knows it. ARNs are parsed field by field; a
 * foundation-model or inference-profile ARN's resource id must classify the same way its type says.
 */
export function parseModelId (decoded: string): ModelIdParse {
  if (decoded.slice(0, ARN_PREFIX.length).toLowerCase() === ARN_PREFIX) return parseModelArn(decoded)
  if (!PLAIN_ID.test(decoded)) return malformed(`model id ${quoteValue(decoded)} holds characters no model id has`)
  const dotted = classifyDottedId(decoded)
  if (dotted.kind === 'malformed') return malformed(dotted.message)
  if (dotted.kind === 'undotted') {
    return {
      ok: false,
      reason: 'MODEL_KIND_NOT_ALLOWED',
      message: `model id ${quoteValue(decoded)} is neither a foundation-model id, an inference-profile id nor an ARN; name the resource by its ARN`
    }
  }
  if (dotted.kind === 'foundation-model') return { ok: true, id: { kind: 'foundation-model', text: decoded } }
  return { ok: true, id: { kind: 'inference-profile', text: decoded, prefix: dotted.prefix } }
}

function parseModelArn (text: string): ModelIdParse {
  const parsed = parseArn(text)
  if (!parsed.ok) return malformed(parsed.message)
  const { arn } = parsed
  switch (arn.resourceType) {
    case 'guardrail':
    case 'async-invoke':
    case 'knowledge-base':
    case 'agent':
    case 'agent-alias':
    case 'flow':
    case 'flow-alias':
      return malformed(`ARN ${quoteValue(text)} is of resource type ${arn.resourceType}, which is not a model`)
    case 'foundation-model': {
      const dotted = classifyDottedId(arn.resourceId)
      if (dotted.kind !== 'foundation-model') {
        return malformed(`foundation-model ARN ${quoteValue(text)} does not name a foundation model of a known provider`)
      }
      return { ok: true, id: { kind: 'arn', text, arn } }
    }
    case 'inference-profile': {
      const dotted = classifyDottedId(arn.resourceId)
      if (dotted.kind !== 'inference-profile') {
        return malformed(`inference-profile ARN ${quoteValue(text)} does not name a <prefix>.<provider>.<model> profile`)
      }
      return { ok: true, id: { kind: 'arn', text, arn, prefix: dotted.prefix } }
    }
    default:
      return { ok: true, id: { kind: 'arn', text, arn } }
  }
}

type DottedIdKind =
  | { readonly kind: 'foundation-model' }
  | { readonly kind: 'inference-profile'; readonly prefix: string }
  | { readonly kind: 'undotted' }
  | { readonly kind: 'malformed'; readonly message: string }

const UNDOTTED: DottedIdKind = { kind: 'undotted' }
const FOUNDATION_MODEL: DottedIdKind = { kind: 'foundation-model' }
const EMPTY_ID_SEGMENT = ID_SEGMENT_SEPARATOR + ID_SEGMENT_SEPARATOR

/** Reads the id's segments where they are, without splitting it into copies. */
function classifyDottedId (text: string): DottedIdKind {
  if (text === '' || text.startsWith(ID_SEGMENT_SEPARATOR) || text.endsWith(ID_SEGMENT_SEPARATOR) || text.includes(EMPTY_ID_SEGMENT)) {
    return { kind: 'malformed', message: `model id ${quoteValue(text)} holds an empty '.' segment` }
  }
  const firstEnd = text.indexOf(ID_SEGMENT_SEPARATOR)
  if (firstEnd === -1) return UNDOTTED
  const first = text.slice(0, firstEnd)
  if (FOUNDATION_MODEL_PROVIDERS.has(first)) return FOUNDATION_MODEL
  if (SYSTEM_PROFILE_PREFIXES.has(first) && segmentCount(text, firstEnd) < MIN_PROFILE_ID_SEGMENTS) {
    return { kind: 'malformed', message: `inference-profile id ${quoteValue(text)} is not <prefix>.<provider>.<model>` }
  }
  return { kind: 'inference-profile', prefix: first }
}

/** How many '.' segments a dotted id has, counting on from its first separator. */
function segmentCount (text: string, firstSeparator: number): number {
  let count = 2
  for (let at = text.indexOf(ID_SEGMENT_SEPARATOR, firstSeparator + 1); at !== -1; at = text.indexOf(ID_SEGMENT_SEPARATOR, at + 1)) count++
  return count
}

function tooLong (maxLength: number): ModelIdText {
  return { ok: false, message: `model id is longer than ${maxLength} characters` }
}

function malformed (message: string): ModelIdParse {
  return { ok: false, reason: 'MALFORMED_REQUEST', message }
}

/**
 * First segments of foundation-model ids (`anthropic.claude-...`, `amazon.nova-...`). Only an id that starts with one
 * of these, spelled exactly so, is taken for a single-region foundation model; every other dotted id is treated as an
 * inference profile named by its first segment, which must then be an allowed prefix. A provider missing here is
 * therefore refused, never let through: add new providers as Bedrock publishes them.
 */
export const FOUNDATION_MODEL_PROVIDERS: ReadonlySet<string> = new Set([
  'ai21',
  'amazon',
  'anthropic',
  'cohere',
  'deepseek',
  'google',
  'luma',
  'meta',
  'minimax',
  'mistral',
  'moonshot',
  'moonshotai',
  'nvidia',
  'openai',
  'qwen',
  'stability',
  'twelvelabs',
  'writer',
  'zai'
])
