import { quoteValue } from './quote-value.ts'

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
