/** Every value of each header, in arrival order, keyed by lower-case name, from node's raw header list. */
export function headerValues (rawHeaders: readonly string[]): Map<string, string[]> {
  const values = new Map<string, string[]>()
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase()
    const list = values.get(name) ?? []
    list.push(rawHeaders[i + 1] as string)
    values.set(name, list)
  }
  return values
}

/**
 * The canonical headers block for the signed header names: values trimmed, inner runs of spaces collapsed, repeated
 * headers joined with commas in the order they arrived. Undefined when a signed header is missing from the request.
 */
export function canonicalHeaders (values: ReadonlyMap<string, readonly string[]>, signedHeaders: readonly string[]): string | undefined {
  let block = ''
  for (const name of signedHeaders) {
    const headerList = values.get(name)
    if (headerList === undefined) return undefined
    block += `${name}:${headerList.map(value => value.trim().replace(/ +/g, ' ')).join(',')}\n`
  }
  return block
}
