/** An object to inspect: the keys in it that carry identifiers (exact spelling) and the watched objects they lead to. */
export interface WatchedObject {
  readonly children: ReadonlyMap<string, WatchedObject | undefined>
  readonly keyByLowerCase: ReadonlyMap<string, string>
  readonly keyByUpperCase: ReadonlyMap<string, string>
}

/** Watches every object on the way to each identifier, e.g. `[['guardrailConfig', 'guardrailIdentifier']]`. */
export function watchPaths (paths: readonly (readonly string[])[]): WatchedObject {
  const childPaths = new Map<string, (readonly string[])[]>()
  for (const [key, ...rest] of paths) {
    if (key === undefined) continue
    const list = childPaths.get(key) ?? []
    if (rest.length > 0) list.push(rest)
    childPaths.set(key, list)
  }
  const children = new Map([...childPaths].map(([key, rest]) => [key, rest.length > 0 ? watchPaths(rest) : undefined]))
  const keys = [...children.keys()]
  return {
    children,
    keyByLowerCase: new Map(keys.map((key) => [key.toLowerCase(), key])),
    keyByUpperCase: new Map(keys.map((key) => [key.toUpperCase(), key]))
  }
}

const QUOTE = '"'
const BACKSLASH = '\\'
const VALUE_END = new Set([',', '}', ']', ' ', '\t', '\n', '\r'])
const WHITESPACE = new Set([' ', '\t', '\n', '\r'])

/**
 * A JSON parser keeps one of two duplicate keys, and which one differs between parsers; a case-insensitive parser
 * would read `ModelId` as `modelId`. Either way the gateway and Bedrock could see different identifiers. This scans
 * text that JSON.parse has already accepted and returns the first key that, in a watched object, repeats another key
 * ignoring case, or spells an identifier key in another case. Unwatched values are skipped without being parsed.
 */
export function findAmbiguousKey (json: string, watched: WatchedObject): string | undefined {
  return new Scanner(json).value(watched)
}

class Scanner {
  private at = 0

  constructor (private readonly text: string) {}

  value (watched: WatchedObject | undefined): string | undefined {
    this.skipWhitespace()
    if (watched !== undefined && this.text[this.at] === '{') return this.watchedObject(watched)
    this.skipValue()
    return undefined
  }

  private watchedObject (watched: WatchedObject): string | undefined {
    // Lower- and upper-case folding differ for a few letters (`ı`, `ſ`, the Kelvin sign); a parser may use either.
    const seenLowerCase = new Set<string>()
    const seenUpperCase = new Set<string>()
    this.at++
    for (;;) {
      this.skipWhitespace()
      if (this.text[this.at] === '}') { this.at++; return undefined }
      const keyStart = this.at
      this.skipString()
      const key = JSON.parse(this.text.slice(keyStart, this.at)) as string
      const lowerCase = key.toLowerCase()
      const upperCase = key.toUpperCase()
      if (seenLowerCase.has(lowerCase) || seenUpperCase.has(upperCase)) return key
      seenLowerCase.add(lowerCase)
      seenUpperCase.add(upperCase)
      const identifierKey = watched.keyByLowerCase.get(lowerCase) ?? watched.keyByUpperCase.get(upperCase)
      if (identifierKey !== undefined && identifierKey !== key) return key
      this.skipWhitespace()
      this.at++ // the ':'
      const problem = this.value(watched.children.get(key))
      if (problem !== undefined) return problem
      this.skipWhitespace()
      if (this.text[this.at] === ',') this.at++
    }
  }

  private skipValue (): void {
    const first = this.text[this.at]
    if (first === QUOTE) { this.skipString(); return }
    if (first !== '{' && first !== '[') {
      while (this.at < this.text.length && !VALUE_END.has(this.text[this.at] ?? '')) this.at++
      return
    }
    let depth = 0
    do {
      const char = this.text[this.at]
      if (char === QUOTE) { this.skipString(); continue }
      if (char === '{' || char === '[') depth++
      else if (char === '}' || char === ']') depth--
      this.at++
    } while (depth > 0 && this.at < this.text.length)
  }

  /** Long strings (base64 images) are jumped over natively instead of read character by character. */
  private skipString (): void {
    let close = this.text.indexOf(QUOTE, this.at + 1)
    while (close !== -1 && isEscaped(this.text, close)) close = this.text.indexOf(QUOTE, close + 1)
    this.at = close === -1 ? this.text.length : close + 1
  }

  private skipWhitespace (): void {
    while (WHITESPACE.has(this.text[this.at] ?? '')) this.at++
  }
}

function isEscaped (text: string, quoteAt: number): boolean {
  let backslashes = 0
  while (text[quoteAt - 1 - backslashes] === BACKSLASH) backslashes++
  return backslashes % 2 === 1
}
