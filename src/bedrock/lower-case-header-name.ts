/** The only characters `toLowerCase` changes: ASCII capitals and code units outside ASCII. */
const CHANGED_BY_LOWER_CASE = /[A-Z\u0080-\uffff]/

/**
 * A header name in lower case, exactly as `toLowerCase` gives it. Node hands over names already lower-cased, and
 * `toLowerCase` allocates a copy even then; such a name comes back as it is.
 */
export function lowerCaseHeaderName (name: string): string {
  return CHANGED_BY_LOWER_CASE.test(name) ? name.toLowerCase() : name
}
