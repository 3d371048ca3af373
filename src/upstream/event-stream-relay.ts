import type { Readable } from 'node:stream'
import { BedrockError, internalError, MS_PER_SECOND } from '../core/index.ts'
import { encodeDateHeader, encodeEventEnvelope, EventStreamFrameGate, splitFrames } from '../bedrock/index.ts'
import { AbortNotice, ABORT_EVENT } from './abort-notice.ts'
import type { UpstreamEventStream } from './event-stream-request.ts'
import { type ClientResponse, pipeResponse, type PipeResult } from './pipe-response.ts'

export interface EventStreamRelayOptions {
  /** The gateway's id for the request, quoted in the exception event that ends a stream early. */
  readonly requestId: string
  /** The inner event of one of the caller's envelopes; throws a BedrockError when the envelope must not pass. */
  readonly openEvent: (frame: Buffer) => Uint8Array
  /** Fires when the caller has left or the shutdown grace period is over. */
  readonly shutdown: AbortNotice
  /** The stream is ended when no byte has moved either way for this long. */
  readonly idleTimeoutMs: number
  /** The stream is ended this long after it started, however busy. */
  readonly maxDurationMs: number
  /** The clock the gateway dates its envelopes with. */
  readonly now: () => number
}

export interface EventStreamRelayResult extends PipeResult {
  /** Bytes of envelopes received from the caller. */
  readonly callerBytes: number
  /** The caller's events passed on upstream, re-signed. */
  readonly eventsForwarded: number
  /** Why the gateway ended the stream itself, when it did. */
  readonly fault?: BedrockError
}

const MALFORMED_STREAM = 'The request stream is not a well-formed event stream; the stream was ended.'
const ENDED_INSIDE_EVENT = 'The request stream ended inside an event; the stream was ended.'

function seconds (ms: number): number {
  return Math.round(ms / MS_PER_SECOND)
}

/**
 * Relays one bidirectional stream once it is allowed. Caller to Bedrock: the caller's envelopes are let through only
 * whole and checked (CRCs, then `openEvent`), each inner event is re-wrapped unchanged in an envelope the gateway
 * signs on its own chain, and the caller is paused while Bedrock's side is full. Bedrock to caller: `pipeResponse`,
 * frame by frame as for every other stream. The first envelope that fails, a time limit or a shutdown ends the
 * stream: nothing the caller sends after it goes upstream, and the caller gets an exception event (or, before
 * Bedrock has answered, the error itself: the returned promise rejects with it).
 */
export async function relayEventStream (caller: Readable, res: ClientResponse, upstream: UpstreamEventStream,
  options: EventStreamRelayOptions): Promise<EventStreamRelayResult> {
  const fault = new AbortNotice()
  const gate = new EventStreamFrameGate()
  let callerBytes = 0
  let eventsForwarded = 0
  const endWith = (error: unknown): void => {
    if (fault.aborted) return
    caller.off('data', onData)
    fault.abort(error instanceof BedrockError ? error : internalError(error))
  }
  const idle = setTimeout(() => endWith(new BedrockError('ModelTimeoutException',
    `Nothing moved on the stream for ${seconds(options.idleTimeoutMs)} seconds; the gateway ended it.`)), options.idleTimeoutMs)
  const ceiling = setTimeout(() => endWith(new BedrockError('ModelTimeoutException',
    `The stream reached the gateway's limit of ${seconds(options.maxDurationMs)} seconds and was ended.`)), options.maxDurationMs)
  const forward = (frame: Buffer): boolean => {
    const payload = options.openEvent(frame)
    const dateMs = options.now()
    const signature = upstream.chain.next({ dateMs, dateHeader: encodeDateHeader(dateMs), payload })
    eventsForwarded++
    return upstream.events.write(encodeEventEnvelope(dateMs, signature, payload))
  }
  function onData (chunk: Buffer): void {
    idle.refresh()
    callerBytes += chunk.length
    const whole = gate.admit(chunk)
    if (gate.corrupt) {
      endWith(new BedrockError('ValidationException', MALFORMED_STREAM))
      return
    }
    let roomLeft = true
    try {
      for (const frame of splitFrames(whole)) roomLeft = forward(frame) && roomLeft
    } catch (error) {
      endWith(error)
      return
    }
    if (!roomLeft) caller.pause()
  }
  caller.on('data', onData)
  upstream.events.on('drain', () => { if (!fault.aborted) caller.resume() })
  upstream.events.on('data', () => idle.refresh())
  caller.once('end', () => {
    if (fault.aborted) return
    if (gate.holdsPartialFrame) endWith(new BedrockError('ValidationException', ENDED_INSIDE_EVENT))
    else upstream.events.end()
  })

  try {
    const response = await firstOf(upstream.response, fault, options.shutdown)
    const piped = await pipeResponse(response, res, { requestId: options.requestId, shutdown: options.shutdown, fault })
    return { ...piped, callerBytes, eventsForwarded, ...(fault.aborted ? { fault: fault.reason as BedrockError } : {}) }
  } finally {
    clearTimeout(idle)
    clearTimeout(ceiling)
    caller.off('data', onData)
    upstream.close()
  }
}

/** Bedrock's answer, unless the stream is ended (or the caller leaves, or the gateway shuts down) before it comes. */
function firstOf<T> (answer: Promise<T>, ...notices: AbortNotice[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    for (const notice of notices) {
      if (notice.aborted) reject(notice.reason)
      else notice.once(ABORT_EVENT, reject)
    }
    answer.then(resolve, reject)
  })
}
