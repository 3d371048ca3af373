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
