export type HeaderValue =
  | { readonly ok: true; readonly value?: string }
  | { readonly ok: false; readonly message: string }

export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>

/**
 * The one value of a header, looked up case-insensitively. A header sent twice (an array, or two spellings of its
 * name) is refused: which copy Bedrock would use is not something to guess.
 */
export function singleHeaderValue (headers: RequestHeaders, lowerCaseName: string): HeaderValue {
  const values: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.toLowerCase() !== lowerCaseName) continue
    if (Array.isArray(value)) values.push(...value)
    else values.push(value)
  }
  if (values.length > 1) return { ok: false, message: `header ${lowerCaseName} is sent more than once` }
  return values[0] === undefined ? { ok: true } : { ok: true, value: values[0] }
}
