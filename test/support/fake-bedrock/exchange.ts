import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { CONTENT_TYPE, ERROR_STATUS, HEADER, type ErrorName } from './constants.ts'
import { exceptionFrame } from './event-stream.ts'
import type { RequestLog } from './request-log.ts'
import type { Fault, MutableRecordedRequest, StreamExceptionType } from './types.ts'

/** Server-Sent Events, as the runtime's OpenAI paths and bedrock-mantle stream. */
const SSE_CONTENT_TYPE = 'text/event-stream'

interface AnswerDetails {
  readonly headers?: OutgoingHttpHeaders
  /** The reply text behind this answer, recorded so tests can compare what the client got. */
  readonly text?: string
}

const DEFAULT_STREAM_EXCEPTION: StreamExceptionType = 'modelStreamErrorException'
const DEFAULT_STREAM_EXCEPTION_MESSAGE = 'The fake model failed in the middle of its reply.'

/** One request and its response, with the writers every fake handler answers through so faults apply uniformly. */
export class Exchange {
  fault: Fault | undefined
  private readonly closedController = new AbortController()

  constructor (
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly record: MutableRecordedRequest,
    private readonly log: RequestLog
  ) {
    res.on('close', () => {
      if (!res.writableFinished && !record.resetByFake && !log.shuttingDown) {
        record.closedEarly = true
        record.closedAt = Date.now()
      }
      this.closedController.abort()
      log.changed()
    })
    res.on('finish', () => {
      if (record.response !== undefined) record.response.completedAt = Date.now()
      log.changed()
    })
  }

  /** Aborted when the connection closes, whoever closed it. */
  get closed (): AbortSignal {
    return this.closedController.signal
  }

  /** Waits, unless the connection closes first; resolves false in that case. */
  async pause (ms: number): Promise<boolean> {
    if (this.closed.aborted) return false
    try {
      await sleep(ms, undefined, { signal: this.closed })
      return true
    } catch {
      return false
    }
  }

  /** The connection dies without a response: what a TCP reset looks like to the client. */
  resetConnection (): void {
    this.record.resetByFake = true
    this.log.changed()
    this.req.socket.destroy()
  }

  sendError (errorType: ErrorName, message: string, status: number = ERROR_STATUS[errorType]): void {
    const bytes = Buffer.from(JSON.stringify({ message }), 'utf8')
    this.writeHead(status, {
      [HEADER.contentType]: CONTENT_TYPE.json,
      'content-length': bytes.byteLength,
      [HEADER.errorType]: errorType
    }, { errorType })
    this.res.end(bytes)
  }

  /**
   * A JSON answer. A `reset` or `hang` fault with `afterFrames` cuts it after the headers and half the body; a
   * `streamException` fault becomes the same-named error response.
   */
  async sendJson (status: number, body: unknown, details: AnswerDetails = {}): Promise<void> {
    const fault = this.fault
    if (fault?.kind === 'streamException') {
      const exceptionType = fault.exceptionType ?? DEFAULT_STREAM_EXCEPTION
      this.sendError(errorNameOf(exceptionType), fault.message ?? DEFAULT_STREAM_EXCEPTION_MESSAGE)
      return
    }
    const bytes = Buffer.from(JSON.stringify(body), 'utf8')
    this.writeHead(status, {
      [HEADER.contentType]: CONTENT_TYPE.json,
      'content-length': bytes.byteLength,
      ...details.headers
    }, details.text === undefined ? {} : { text: details.text })
    if ((fault?.kind === 'reset' || fault?.kind === 'hang') && fault.afterFrames !== undefined) {
      await this.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)))
      if (fault.kind === 'reset') this.resetConnection()
      return
    }
    this.res.end(bytes)
  }

  /** A 200 event stream, one frame every `frameDelayMs`, honouring the mid-stream faults. */
  async sendEventStream (frames: readonly Uint8Array[], frameDelayMs: number, details: AnswerDetails = {}): Promise<void> {
    this.writeHead(200, { [HEADER.contentType]: CONTENT_TYPE.eventStream, ...details.headers },
      details.text === undefined ? {} : { text: details.text })
    this.res.flushHeaders()
    const fault = this.fault
    const faultAfter = fault !== undefined && 'afterFrames' in fault ? fault.afterFrames : undefined
    for (let sent = 0; sent <= frames.length; sent++) {
      const faultNow = faultAfter === sent
      if (sent === frames.length && !faultNow) break
      if (sent > 0 && !await this.pause(frameDelayMs)) return
      if (faultNow && fault !== undefined) {
        await this.streamFault(fault)
        return
      }
      if (!await this.writeFrame(frames[sent] as Uint8Array)) return
    }
    this.res.end()
  }

  /**
   * A 200 Server-Sent Events answer, one event every `frameDelayMs`, honouring the mid-stream `reset` and `hang`
   * faults (after that many events); a `streamException` fault sends no event-stream frame here, it breaks off.
   */
  async sendServerSentEvents (events: readonly string[], frameDelayMs: number, details: AnswerDetails = {}): Promise<void> {
    this.writeHead(200, { [HEADER.contentType]: SSE_CONTENT_TYPE, ...details.headers },
      details.text === undefined ? {} : { text: details.text })
    this.res.flushHeaders()
    const fault = this.fault
    const faultAfter = fault !== undefined && 'afterFrames' in fault ? fault.afterFrames : undefined
    for (let sent = 0; sent <= events.length; sent++) {
      const faultNow = faultAfter === sent
      if (sent === events.length && !faultNow) break
      if (sent > 0 && !await this.pause(frameDelayMs)) return
      if (faultNow && fault !== undefined) {
        if (fault.kind === 'hang') return
        this.resetConnection()
        return
      }
      if (!await this.writeFrame(Buffer.from(events[sent] as string, 'utf8'))) return
    }
    this.res.end()
  }

  private async streamFault (fault: Fault): Promise<void> {
    if (fault.kind === 'reset') this.resetConnection()
    if (fault.kind === 'streamException') {
      const frame = exceptionFrame(fault.exceptionType ?? DEFAULT_STREAM_EXCEPTION, fault.message ?? DEFAULT_STREAM_EXCEPTION_MESSAGE)
      if (await this.writeFrame(frame)) this.res.end()
    }
    // hang: leave the stream open and silent
  }

  private async writeFrame (frame: Uint8Array): Promise<boolean> {
    if (!await this.write(frame)) return false
    this.record.framesSentAt.push(Date.now())
    if (this.record.response !== undefined) this.record.response.framesSent++
    this.log.changed()
    return true
  }

  /** Writes with backpressure; false when the connection is gone. */
  private async write (chunk: Uint8Array): Promise<boolean> {
    if (this.res.destroyed) return false
    if (this.res.write(chunk)) return true
    try {
      await once(this.res, 'drain', { signal: this.closed })
      return true
    } catch {
      return false
    }
  }

  private writeHead (status: number, headers: OutgoingHttpHeaders, response: { errorType?: string, text?: string }): void {
    this.res.writeHead(status, { [HEADER.requestId]: this.record.requestId, ...headers })
    this.record.response = { status, respondedAt: Date.now(), framesSent: 0, ...response }
    this.log.changed()
  }
}

/** `modelStreamErrorException` -> `ModelStreamErrorException`: the error name the same fault has outside a stream. */
export function errorNameOf (exceptionType: StreamExceptionType): ErrorName {
  return `${exceptionType.charAt(0).toUpperCase()}${exceptionType.slice(1)}` as ErrorName
}
