/** Refusal messages name the offending value, but a value straight from the wire may be huge or hold control bytes. */
const MAX_QUOTED_LENGTH = 160
const ELLIPSIS = '...'
const PRINTABLE_ASCII = /^[\x20-\x7e]$/
/** Most values are ordinary ids: quoted as they are, without walking them character by character. */
const NOTHING_TO_ESCAPE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/

/** The value in double quotes, on one line, printable ASCII only (`\uXXXX` for the rest), shortened if long. */
export function quoteValue (value: string): string {
  if (value.length <= MAX_QUOTED_LENGTH && NOTHING_TO_ESCAPE.test(value)) return `"${value}"`
  let quoted = ''
  let shown = 0
  for (const char of value) {
    if (quoted.length >= MAX_QUOTED_LENGTH) break
    if (char === '"' || char === '\\') quoted += '\\' + char
    else if (PRINTABLE_ASCII.test(char)) quoted += char
    else quoted += escapeCodeUnits(char)
    shown += char.length
  }
  return `"${quoted}${shown < value.length ? ELLIPSIS : ''}"`
}

function escapeCodeUnits (char: string): string {
  let escaped = ''
  for (let i = 0; i < char.length; i++) escaped += '\\u' + char.charCodeAt(i).toString(16).padStart(4, '0')
  return escaped
}
