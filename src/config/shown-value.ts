/** Config values that are secrets: never echoed in an error, and never accepted inline. */
const SECRET_PATHS = [/^clients\[\d+\]\.secretAccessKey$/, /^listen\.tls\.key$/]
const HIDDEN = '(a hidden secret value)'
const LONGEST_SHOWN = 80

export function isSecretPath (formattedPath: string): boolean {
  return SECRET_PATHS.some((pattern) => pattern.test(formattedPath))
}

/** A value as an error message quotes it: JSON, shortened, and never a secret. */
export function shownValue (formattedPath: string, value: unknown): string {
  if (isSecretPath(formattedPath)) return HIDDEN
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > LONGEST_SHOWN ? `${text.slice(0, LONGEST_SHOWN - 3)}...` : text
}
