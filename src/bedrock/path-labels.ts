import type { OperationSpec } from './operations.ts'
import { decodeModelIdLabel } from './model-id.ts'
import { percentDecodeOnce, type DecodeResult } from './percent-decode.ts'
import { quoteValue } from './quote-value.ts'

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
