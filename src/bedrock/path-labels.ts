import type { OperationSpec } from './operation-spec.ts'
import { decodeModelIdLabel } from './model-id.ts'
import { quoteValue } from './quote-value.ts'

/** Service model: an agent-runtime session id is 2-100 letters, digits and `._:-`. */
const SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/
/** Service model: a guardrail version is a number without leading zeros, or DRAFT. */
const GUARDRAIL_VERSION = /^([1-9]\d{0,7}|DRAFT)$/

type LabelDecoder = (raw: string, spec: OperationSpec) => DecodeResult

const LABEL_DECODERS: Readonly<Record<string, LabelDecoder>> = {
  modelId: (raw, spec) => {
    const decoded = decodeModelIdLabel(raw, spec.modelIdMaxLength)
    return decoded.ok ? { ok: true, value: decoded.text } : decoded
  },
  guardrailIdentifier: percentDecodeOnce,
  invocationArn: percentDecodeOnce,
  // bedrock-agent-runtime: ids or ARNs, checked by their identifier readers (agent-runtime-identifiers.ts).
  knowledgeBaseId: percentDecodeOnce,
  agentId: percentDecodeOnce,
  agentAliasId: percentDecodeOnce,
  flowIdentifier: percentDecodeOnce,
  flowAliasIdentifier: percentDecodeOnce,
  sessionId: (raw) => {
    const decoded = percentDecodeOnce(raw)
    if (!decoded.ok) return decoded
    return SESSION_ID.test(decoded.value) ? decoded : { ok: false, message: `session id ${quoteValue(decoded.value)} is not 2-100 letters, digits and ._:-` }
  },
  guardrailVersion: (raw) => {
    const decoded = percentDecodeOnce(raw)
    if (!decoded.ok) return decoded
    return GUARDRAIL_VERSION.test(decoded.value)
      ? decoded
      : { ok: false, message: `guardrail version ${quoteValue(decoded.value)} is neither a version number nor DRAFT` }
  }
}

/** Decodes one path label exactly once, with the checks its kind needs; a label the table does not know is refused. */
export function decodePathLabel (name: string, raw: string, spec: OperationSpec): DecodeResult {
  const decode = Object.hasOwn(LABEL_DECODERS, name) ? LABEL_DECODERS[name] : undefined
  if (decode === undefined) return { ok: false, message: `path label ${quoteValue(name)} has no decoder` }
  return decode(raw, spec)
}

/** Characters encodeURIComponent leaves alone but RFC 3986 reserves; the AWS SDKs encode them in labels too. */
const SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g
/** The same, to look for one without the bookkeeping of a global replace (ids hardly ever hold one). */
const ANY_SUB_DELIM_LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/

/**
 * Encodes a path label or query component the way the AWS SDKs do (`:` -> `%3A`, `/` -> `%2F`), so the upstream
 * request carries exactly the identifier that was checked, in the one canonical form.
 */
export function encodeLabel (value: string): string {
  const encoded = encodeURIComponent(value)
  if (!ANY_SUB_DELIM_LEFT_BY_ENCODE_URI_COMPONENT.test(encoded)) return encoded
  return encoded.replace(SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT, (char) =>
    '%' + char.charCodeAt(0).toString(16).toUpperCase())
}

export type DecodeResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string }

/** What may appear raw in a path label or query component: printable ASCII, no space. Clients encode the rest. */
const RAW_COMPONENT = /^[\x21-\x7e]*$/
/** A `%` not followed by two hex digits. */
const INVALID_ESCAPE = /%(?![0-9A-Fa-f]{2})/
const ESCAPE_START = '%'

/**
 * Percent-decodes one URI component exactly once, refusing what a lenient decoder would guess at: invalid escapes,
 * raw bytes outside printable ASCII, and escapes that are not valid UTF-8.
 */
export function percentDecodeOnce (raw: string): DecodeResult {
  if (!RAW_COMPONENT.test(raw)) return { ok: false, message: `${quoteValue(raw)} holds raw characters that must be percent-encoded` }
  // Printable ASCII without a single escape decodes to itself.
  if (!raw.includes(ESCAPE_START)) return { ok: true, value: raw }
  if (INVALID_ESCAPE.test(raw)) return { ok: false, message: `${quoteValue(raw)} holds an invalid percent escape` }
  try {
    return { ok: true, value: decodeURIComponent(raw) }
  } catch {
    return { ok: false, message: `${quoteValue(raw)} percent-decodes to invalid UTF-8` }
  }
}

const CURRENT_SEGMENT = '.'
const PARENT_SEGMENT = '..'

/**
 * An empty, `.` or `..` path segment: one that a URL normaliser anywhere between the caller and Bedrock could
 * collapse, so that Bedrock would read another path than the one checked. Compared directly, without hashing the
 * segment for a Set lookup.
 */
export function isDotSegment (segment: string): boolean {
  return segment === '' || segment === CURRENT_SEGMENT || segment === PARENT_SEGMENT
}

/** Whether any of `segments` is a dot or empty segment. */
export function holdsDotSegment (segments: readonly string[]): boolean {
  for (const segment of segments) if (isDotSegment(segment)) return true
  return false
}
