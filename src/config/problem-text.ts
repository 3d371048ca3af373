/** Where a value sits in the config document: object keys and list indexes, outermost first. */
export type ValuePath = readonly (string | number)[]

const TOP_LEVEL = '(top level)'

/** `['allow', 'regions', 3]` reads as `allow.regions[3]`, the way a user finds it in the YAML file. */
export function formatPath (path: ValuePath): string {
  let text = ''
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`
  }
  return text === '' ? TOP_LEVEL : text
}

const ARRAY_INDEX = /^(0|[1-9]\d*)$/

/**
 * Ajv reports locations as JSON pointers (`/allow/regions/3`). Every object in the schema has named keys only, so a
 * purely numeric segment is always a list index.
 */
export function pointerToPath (pointer: string): ValuePath {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((segment) => {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~')
    return ARRAY_INDEX.test(key) ? Number(key) : key
  })
}

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
