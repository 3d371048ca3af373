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
