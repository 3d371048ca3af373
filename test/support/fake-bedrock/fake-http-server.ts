import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { LOOPBACK_HOST, SIGNING_SERVICE } from './constants.ts'
import { toCredentialLookup, type AcceptedCredentials } from './credentials.ts'
import { Exchange } from './exchange.ts'
import { FaultSchedule } from './fault-schedule.ts'
import { RequestLog } from './request-log.ts'
import { verifySignature } from './sigv4/verify-signature.ts'
import type { FakeHttpService, MutableRecordedRequest } from './types.ts'

/** Idle keep-alive sockets outlive any client pool's idle timeout, so a reused socket is never closed under it. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000

export interface FakeServerSettings {
  readonly credentials: AcceptedCredentials
  readonly maxClockSkewMs: number
  /** Names the operation a method and raw path address, for the record; undefined when unknown. */
  readonly operationOf: (method: string, rawUrl: string) => string | undefined
  /** Answers a request whose signature verified and that no fault pre-empted. */
  readonly answer: (exchange: Exchange) => Promise<void>
  /** Called by `reset()` after the shared state is cleared. */
  readonly onReset?: () => void
  /** False for load tests: requests are still verified and answered, but not kept in `requests`. */
  readonly retainRequests: boolean
  /** The signing name signatures must be scoped to; `bedrock` unless the fake stands for another API. */
  readonly signingService?: string
}

/**
 * The HTTP/1.1 server both fakes are built on: records every request, verifies its SigV4 signature, applies the
 * scheduled fault, then hands the request to the fake's own answer.
 */
export async function startFakeServer (settings: FakeServerSettings): Promise<FakeHttpService> {
  const log = new RequestLog(settings.retainRequests)
  const faults = new FaultSchedule()
  const lookupCredentials = toCredentialLookup(settings.credentials)

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/'
    const operation = settings.operationOf(req.method ?? '', rawUrl)
    // the body so far, joined when read: a record looked at mid-upload or after an abort shows what arrived
    const chunks: Buffer[] = []
    let joined = { chunkCount: 0, body: Buffer.alloc(0) }
    const record: MutableRecordedRequest = {
      index: log.records.length,
      requestId: randomUUID(),
      method: req.method ?? '',
      path: rawUrl,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      get body () {
        if (joined.chunkCount !== chunks.length) joined = { chunkCount: chunks.length, body: Buffer.concat(chunks) }
        return joined.body
      },
      bodyComplete: false,
      ...(operation === undefined ? {} : { operation }),
      receivedAt: Date.now(),
      closedEarly: false,
      resetByFake: false,
      framesSentAt: []
    }
    const exchange = new Exchange(req, res, record, log)
    log.add(record)

    try {
      for await (const chunk of req) chunks.push(chunk as Buffer)
    } catch {
      // The sender went away mid-body: the record keeps what arrived, bodyComplete stays false, nothing is answered.
      return
    }
    record.bodyComplete = true

    const verdict = verifySignature(
      { method: record.method, rawUrl, rawHeaders: req.rawHeaders, body: record.body },
      { service: settings.signingService ?? SIGNING_SERVICE, lookupCredentials, now: new Date(), maxClockSkewMs: settings.maxClockSkewMs })
    record.signature = verdict
    if (verdict.region !== undefined) record.region = verdict.region
    log.changed()
    if (!verdict.ok) {
      exchange.sendError(verdict.errorType, verdict.message)
      return
    }

    const fault = faults.take()
    if (fault !== undefined) {
      record.fault = fault
      exchange.fault = fault
      log.changed()
    }
    switch (fault?.kind) {
      case 'slowHeaders':
        if (!await exchange.pause(fault.delayMs)) return
        break
      case 'error':
        exchange.sendError(fault.errorType, fault.message ?? `Fault injected by the fake: ${fault.errorType}`, fault.status)
        return
      case 'reset':
        if (fault.afterFrames === undefined) {
          exchange.resetConnection()
          return
        }
        break
      case 'hang':
        if (fault.afterFrames === undefined) return
        break
    }
    await settings.answer(exchange)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the test loudly, not look like a Bedrock outage the gateway handled.
      console.error('fake Bedrock handler failed:', error)
      if (!res.headersSent) {
        res.writeHead(599, { 'content-type': 'text/plain' })
        res.end(`fake Bedrock handler failed: ${String(error)}`)
      } else {
        res.destroy()
      }
    })
  })
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  server.requestTimeout = 0
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, LOOPBACK_HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://${LOOPBACK_HOST}:${port}`,
    port,
    requests: log.records,
    setFault: fault => faults.set(fault),
    nextFault: fault => faults.next(fault),
    reset: () => {
      log.clear()
      faults.clear()
      settings.onReset?.()
    },
    waitForRequests: (count, timeoutMs) => log.waitForRequests(count, timeoutMs),
    waitForResponse: (index, timeoutMs) => log.waitForResponse(index, timeoutMs),
    waitForClose: (index, timeoutMs) => log.waitForClose(index, timeoutMs),
    close: () => new Promise<void>((resolve, reject) => {
      log.shuttingDown = true
      server.close(error => error === undefined ? resolve() : reject(error))
      server.closeAllConnections()
    })
  }
}
