import { isHeaderNamed } from './lower-case-header-name.ts'

export type HeaderValue =
  | { readonly ok: true; readonly value?: string }
  | { readonly ok: false; readonly message: string }

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>

const ABSENT: HeaderValue = { ok: true }

/**
 * The one value of a header, looked up case-insensitively. A header given twice in the map (an array, or two
 * spellings of its name, as a hand-built map can hold) is refused: which copy Bedrock would use is not something to
 * guess. Node's servers join a repeated header into one value, `a, b`; that value is then refused as an identifier.
 */
export function singleHeaderValue (headers: RequestHeaders, lowerCaseName: string): HeaderValue {
  let first: string | undefined
  let count = 0
  // for...in reads no entry arrays; a name that matches is then checked to be an own property.
  for (const name in headers) {
    if (!isHeaderNamed(name, lowerCaseName)) continue
    const value = headers[name]
    if (value === undefined || !Object.hasOwn(headers, name)) continue
    if (typeof value === 'string') {
      first ??= value
      count++
    } else {
      first ??= value[0]
      count += value.length
    }
  }
  if (count > 1) return { ok: false, message: `header ${lowerCaseName} is sent more than once` }
  return first === undefined ? ABSENT : { ok: true, value: first }
}
