import { percentDecodeToBytes, uriEncodeBytes } from './uri-encode.ts'

/**
 * The canonical query string: every parameter decoded once and re-encoded strictly, so a client's choice of which
 * characters to escape does not matter, then sorted by name and value.
 */
export function canonicalQuery (rawQuery: string): string {
  const pairs: Array<[string, string]> = []
  for (const parameter of rawQuery.split('&')) {
    if (parameter === '') continue
    const equals = parameter.indexOf('=')
    const name = equals === -1 ? parameter : parameter.slice(0, equals)
    const value = equals === -1 ? '' : parameter.slice(equals + 1)
    pairs.push([uriEncodeBytes(percentDecodeToBytes(name)), uriEncodeBytes(percentDecodeToBytes(value))])
  }
  pairs.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

function compare (a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}
