import { AbortNotice } from '../upstream/index.ts'
import { LoadShedError } from './load-shed.ts'

/**
 * One request the gateway is still answering, with the single abort notice its upstream call and its relay share
 * (combining AbortSignals with AbortSignal.any cost about 15 µs a request, and weak references that slowed every
 * garbage collection).
 */
export interface InFlightRequest {
  /**
   * Fires with a LoadShedError when the drain grace period runs out (a request still waiting for Bedrock is then
   * answered 503, a stream ends with an exception event), or when `callerLeft()` is called.
   */
  readonly signal: AbortNotice
  /** The caller disconnected before Bedrock answered: the upstream request is aborted, which stops token spend. */
  callerLeft (): void
  done (): void
}

/** Why an upstream call was aborted when its caller disconnected first; nobody is left to answer. */
export class CallerLeftError extends Error {
  constructor () {
    super('The caller disconnected before Bedrock answered.')
    this.name = 'CallerLeftError'
  }
}

/**
 * Requests under way, so that the concurrent-stream limit can be enforced, the metrics can show them, and a shutdown
 * can wait for them, then end whatever is left with an exception event rather than cutting it off.
 */
export class InFlightRequests {
  private readonly entries = new Set<AbortNotice>()
  private idleWaiters: Array<() => void> = []
  private streamCount = 0
  private bidirectionalCount = 0

  get size (): number { return this.entries.size }
  get streams (): number { return this.streamCount }
  /** Bidirectional streams, counted apart: they are neither in `streams` nor limited with them. */
  get bidirectionalStreams (): number { return this.bidirectionalCount }

  start (streams: boolean): InFlightRequest {
    return this.track(streams, false)
  }

  startBidirectional (): InFlightRequest {
    return this.track(false, true)
  }

  private track (streams: boolean, bidirectional: boolean): InFlightRequest {
    const notice = new AbortNotice()
    this.entries.add(notice)
    if (streams) this.streamCount++
    if (bidirectional) this.bidirectionalCount++
    let finished = false
    return {
      signal: notice,
      callerLeft: () => { notice.abort(new CallerLeftError()) },
      done: () => {
        if (finished) return
        finished = true
        this.entries.delete(notice)
        if (streams) this.streamCount--
        if (bidirectional) this.bidirectionalCount--
        if (this.entries.size === 0) this.notifyIdle()
      }
    }
  }

  /** Resolves once nothing is in flight. */
  idle (): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Tells every request still running that the grace period is over. */
  shutdownAll (): void {
    for (const notice of this.entries) notice.abort(new LoadShedError('grace_period_over'))
  }

  private notifyIdle (): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}
