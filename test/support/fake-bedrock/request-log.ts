import { DEFAULT_WAIT_TIMEOUT_MS } from './constants.ts'
import type { MutableRecordedRequest, RecordedRequest } from './types.ts'

/** The recorded requests of one fake, and waits on them that fail with a clear message instead of hanging a test. */
export class RequestLog {
  readonly records: MutableRecordedRequest[] = []
  /** Set when the fake closes, so connections it cuts then are not taken for clients leaving early. */
  shuttingDown = false
  private readonly waiters = new Set<() => void>()

  constructor (private readonly retain: boolean) {}

  add (record: MutableRecordedRequest): void {
    if (this.retain) this.records.push(record)
    this.changed()
  }

  /** Called whenever a record changes, so pending waits look again. */
  changed (): void {
    for (const check of [...this.waiters]) check()
  }

  clear (): void {
    this.records.length = 0
  }

  waitForRequests (count: number, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<readonly RecordedRequest[]> {
    return this.waitUntil(() => {
      const first = this.records.slice(0, count)
      return first.length === count && first.every(record => record.bodyComplete) ? first : undefined
    }, timeoutMs, () => `${count} complete request(s); have ${this.records.filter(record => record.bodyComplete).length}`)
  }

  waitForResponse (index: number, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<RecordedRequest> {
    return this.waitUntil(() => {
      const record = this.records[index]
      return record?.response?.completedAt === undefined ? undefined : record
    }, timeoutMs, () => `request ${index} to be answered completely`)
  }

  waitForClose (index: number, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<RecordedRequest> {
    return this.waitUntil(() => {
      const record = this.records[index]
      return record?.closedEarly === true ? record : undefined
    }, timeoutMs, () => `the client to close request ${index}'s connection early`)
  }

  private waitUntil<T> (found: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = found()
        if (value === undefined) return
        this.waiters.delete(check)
        clearTimeout(timer)
        resolve(value)
      }
      const timer = setTimeout(() => {
        this.waiters.delete(check)
        reject(new Error(`fake: timed out after ${timeoutMs} ms waiting for ${describe()}`))
      }, timeoutMs)
      this.waiters.add(check)
      check()
    })
  }
}
