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

/** The only characters `toLowerCase` changes: ASCII capitals and code units outside ASCII. */
const CHANGED_BY_LOWER_CASE = /[A-Z\u0080-\uffff]/

/**
 * A header name in lower case, exactly as `toLowerCase` gives it. Node hands over names already lower-cased, and
 * `toLowerCase` allocates a copy even then; such a name comes back as it is.
 */
export function lowerCaseHeaderName (name: string): string {
  return CHANGED_BY_LOWER_CASE.test(name) ? name.toLowerCase() : name
}

/**
 * Whether `name` lower-cases to `lowerCaseName`, an ASCII header name. A name of another length never does: the only
 * character whose lower case has another length (U+0130) gains a combining dot outside ASCII. So most names are
 * ruled out without being folded.
 */
export function isHeaderNamed (name: string, lowerCaseName: string): boolean {
  return name === lowerCaseName || (name.length === lowerCaseName.length && lowerCaseHeaderName(name) === lowerCaseName)
}

/** A content type's media type without its parameters, lower-cased: `Application/JSON; charset=utf-8` is `application/json`. */
export function mediaTypeOf (contentType: string): string {
  const parametersAt = contentType.indexOf(';')
  return (parametersAt === -1 ? contentType : contentType.slice(0, parametersAt)).trim().toLowerCase()
}
