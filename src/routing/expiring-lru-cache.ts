interface Entry<V> {
  readonly value: V
  readonly expiresAt: number
}

/**
 * A Map-backed cache bounded to `maxEntries`: each entry lives until its own expiry time, and when the cache is
 * full the least recently used entry goes first (a Map iterates in insertion order, so a read re-inserts).
 */
export class ExpiringLruCache<V> {
  readonly #entries = new Map<string, Entry<V>>()
  readonly #maxEntries: number

  constructor (maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  /** The value if present and not expired at `now`; an expired entry is dropped. */
  get (key: string, now: number): V | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    this.#entries.delete(key)
    if (entry.expiresAt <= now) return undefined
    this.#entries.set(key, entry)
    return entry.value
  }

  set (key: string, value: V, expiresAt: number): void {
    this.#entries.delete(key)
    this.#entries.set(key, { value, expiresAt })
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string
      this.#entries.delete(oldest)
    }
  }

  get size (): number {
    return this.#entries.size
  }
}
