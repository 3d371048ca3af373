import { Buffer, isUtf8 } from 'node:buffer'
import { quoteValue } from './quote-value.ts'

export type JsonBody =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string }

const NOT_JSON: JsonBody = { ok: false, message: 'request body is not valid JSON' }

/**
 * A request body that carries identifiers: strict UTF-8, a JSON object, and no key on the way to an identifier that
 * another parser could read differently. Messages never quote the body (it holds prompts); only the offending key.
 */
export function readJsonObject (body: Uint8Array, watched: WatchedObject): JsonBody {
  // Said before JSON.parse would: its SyntaxError costs a stack trace, and every request is first screened with no
  // body yet, before it is read.
  if (body.byteLength === 0) return NOT_JSON
  // isUtf8 + toString is several times faster than a fatal TextDecoder on large bodies, with the same strictness.
  if (!isUtf8(body)) return { ok: false, message: 'request body is not valid UTF-8' }
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return NOT_JSON
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'request body is not a JSON object' }
  }
  const ambiguousKey = findAmbiguousKey(text, watched)
  if (ambiguousKey !== undefined) {
    return { ok: false, message: `request body key ${quoteValue(ambiguousKey)} is repeated, or is an identifier key spelled in another case` }
  }
  return { ok: true, value: value as Record<string, unknown> }
}

/** An object to inspect: the keys in it that carry identifiers (exact spelling) and the watched objects they lead to. */
export interface WatchedObject {
  readonly children: ReadonlyMap<string, WatchedObject | undefined>
  readonly keyByLowerCase: ReadonlyMap<string, string>
  readonly keyByUpperCase: ReadonlyMap<string, string>
}

/** A path step that is a list: each element of it is watched like an object on the way (`knowledgeBases[]`). */
const LIST_MARK = '[]'

/**
 * Watches every object on the way to each identifier, e.g. `[['guardrailConfig', 'guardrailIdentifier']]`; a step
 * marked `[]` (`['knowledgeBases[]', 'knowledgeBaseId']`) watches every element of that list.
 */
export function watchPaths (paths: readonly (readonly string[])[]): WatchedObject {
  const childPaths = new Map<string, (readonly string[])[]>()
  for (const [step, ...rest] of paths) {
    if (step === undefined) continue
    const key = step.endsWith(LIST_MARK) ? step.slice(0, -LIST_MARK.length) : step
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
/** The scanner compares UTF-16 code units: no one-character strings, no Set lookups per character. */
const QUOTE_CODE = 0x22
const BACKSLASH_CODE = 0x5c
const COMMA_CODE = 0x2c
const COLON_CODE = 0x3a
const OPEN_OBJECT_CODE = 0x7b
const CLOSE_OBJECT_CODE = 0x7d
const OPEN_ARRAY_CODE = 0x5b
const CLOSE_ARRAY_CODE = 0x5d
const SPACE_CODE = 0x20
const TAB_CODE = 0x09
const LINE_FEED_CODE = 0x0a
const CARRIAGE_RETURN_CODE = 0x0d

/**
 * A JSON parser keeps one of two duplicate keys, and which one differs between parsers; a case-insensitive parser
 * would read `ModelId` as `modelId`. Either way the gateway and Bedrock could see different identifiers. This scans
 * text that JSON.parse has already accepted and returns the first key that, in a watched object, repeats another key
 * ignoring case, or spells an identifier key in another case. Unwatched values are skipped without being parsed.
 */
export function findAmbiguousKey (json: string, watched: WatchedObject): string | undefined {
  return new Scanner(json).value(watched)
}

/**
 * The text of one member of a top-level object (the last one, as JSON.parse keeps it), found without building the
 * rest; undefined unless the whole text scans as one object. For answers the gateway only reads (token usage): its
 * values are skipped, not validated, so a request body still goes through readJsonObject.
 */
export function topLevelMemberText (json: string, key: string): string | undefined {
  return new Scanner(json).memberText(key)
}

class Scanner {
  private at = 0

  constructor (private readonly text: string) {}

  memberText (wanted: string): string | undefined {
    this.skipWhitespace()
    if (this.text.charCodeAt(this.at) !== OPEN_OBJECT_CODE) return undefined
    this.at++
    let found: string | undefined
    for (;;) {
      this.skipWhitespace()
      const next = this.text.charCodeAt(this.at)
      if (next === CLOSE_OBJECT_CODE) break
      if (next !== QUOTE_CODE) return undefined
      const key = this.key()
      this.skipWhitespace()
      if (this.text.charCodeAt(this.at) !== COLON_CODE) return undefined
      this.at++
      this.skipWhitespace()
      const start = this.at
      this.skipValue()
      if (key === wanted) found = this.text.slice(start, this.at)
      this.skipWhitespace()
      if (this.text.charCodeAt(this.at) === COMMA_CODE) this.at++
      else if (this.text.charCodeAt(this.at) !== CLOSE_OBJECT_CODE) return undefined
    }
    this.at++
    this.skipWhitespace()
    return this.at === this.text.length ? found : undefined
  }

  value (watched: WatchedObject | undefined): string | undefined {
    this.skipWhitespace()
    if (watched !== undefined && this.text.charCodeAt(this.at) === OPEN_OBJECT_CODE) return this.watchedObject(watched)
    if (watched !== undefined && this.text.charCodeAt(this.at) === OPEN_ARRAY_CODE) return this.watchedList(watched)
    this.skipValue()
    return undefined
  }

  /** A list where watched objects may be: each element is watched (a list of lists, too). */
  private watchedList (watched: WatchedObject): string | undefined {
    this.at++
    for (;;) {
      this.skipWhitespace()
      if (this.text.charCodeAt(this.at) === CLOSE_ARRAY_CODE) { this.at++; return undefined }
      const problem = this.value(watched)
      if (problem !== undefined) return problem
      this.skipWhitespace()
      if (this.text.charCodeAt(this.at) === COMMA_CODE) this.at++
    }
  }

  private watchedObject (watched: WatchedObject): string | undefined {
    // Lower- and upper-case folding differ for a few letters (`ı`, `ſ`, the Kelvin sign); a parser may use either.
    const seenLowerCase = new Set<string>()
    const seenUpperCase = new Set<string>()
    this.at++
    for (;;) {
      this.skipWhitespace()
      if (this.text.charCodeAt(this.at) === CLOSE_OBJECT_CODE) { this.at++; return undefined }
      const key = this.key()
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
      if (this.text.charCodeAt(this.at) === COMMA_CODE) this.at++
    }
  }

  /** A key as JSON.parse reads it; only one with an escape in it needs decoding. */
  private key (): string {
    const start = this.at
    this.skipString()
    const between = this.text.slice(start + 1, this.at - 1)
    return between.includes(BACKSLASH) ? JSON.parse(this.text.slice(start, this.at)) as string : between
  }

  private skipValue (): void {
    const first = this.text.charCodeAt(this.at)
    if (first === QUOTE_CODE) { this.skipString(); return }
    if (first !== OPEN_OBJECT_CODE && first !== OPEN_ARRAY_CODE) {
      while (this.at < this.text.length && !endsScalar(this.text.charCodeAt(this.at))) this.at++
      return
    }
    let depth = 0
    do {
      const code = this.text.charCodeAt(this.at)
      if (code === QUOTE_CODE) { this.skipString(); continue }
      if (code === OPEN_OBJECT_CODE || code === OPEN_ARRAY_CODE) depth++
      else if (code === CLOSE_OBJECT_CODE || code === CLOSE_ARRAY_CODE) depth--
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
    while (isWhitespace(this.text.charCodeAt(this.at))) this.at++
  }
}

function isWhitespace (code: number): boolean {
  return code === SPACE_CODE || code === TAB_CODE || code === LINE_FEED_CODE || code === CARRIAGE_RETURN_CODE
}

/** What can follow a number, `true`, `false` or `null`. */
function endsScalar (code: number): boolean {
  return code === COMMA_CODE || code === CLOSE_OBJECT_CODE || code === CLOSE_ARRAY_CODE || isWhitespace(code)
}

function isEscaped (text: string, quoteAt: number): boolean {
  let backslashes = 0
  while (text.charCodeAt(quoteAt - 1 - backslashes) === BACKSLASH_CODE) backslashes++
  return backslashes % 2 === 1
}
