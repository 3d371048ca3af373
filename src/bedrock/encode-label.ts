/** Characters encodeURIComponent leaves alone but RFC 3986 reserves; the AWS SDKs encode them in labels too. */
const SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g

/**
 * Encodes a path label or query component the way the AWS SDKs do (`:` -> `%3A`, `/` -> `%2F`), so the upstream
 * request carries exactly the identifier that was checked, in the one canonical form.
 */
export function encodeLabel (value: string): string {
  return encodeURIComponent(value).replace(SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT, (char) =>
    '%' + char.charCodeAt(0).toString(16).toUpperCase())
}
