/**
 * The bench's stand-in for Bedrock, run as its own process: a bare node:http server that answers Converse,
 * ConverseStream and InvokeModel and checks nothing, so that what it costs stays small next to what is measured.
 * The direct and the gateway paths both call this one process. (The test fake verifies signatures and records
 * every request: right for tests, too heavy for saturation runs.)
 *   upstream-process.js [CERT_FILE KEY_FILE]   with a certificate and key, it serves HTTPS, as Bedrock does
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { serveParent } from './child-ipc.ts'
import {
  CONVERSE_REPLY_BODY,
  EVENT_STREAM_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  LOOPBACK_HOST,
  REQUEST_ID_HEADER,
  STREAM_CLOSING_FRAMES,
  STREAM_DELTA_COUNT,
  STREAM_DELTA_FRAME,
  STREAM_FIRST_FRAME,
  STREAM_FRAME_INTERVAL_MS
} from './workload.ts'

/** Longer than any client's idle time, so neither the gateway's pool nor the bench's reconnects mid-run. */
const KEEP_ALIVE_TIMEOUT_MS = 120_000
const NOT_FOUND = 404
const OK = 200
const REQUEST_ID = '4b1c7c2e-0d6a-4c55-9a3e-5f0c2d9b8a71'

let sequence = 0
const nextRequestId = (): string => `${REQUEST_ID.slice(0, -6)}${(sequence++ % 1e6).toString().padStart(6, '0')}`

function answerJson (res: ServerResponse, body: Buffer): void {
  res.writeHead(OK, { 'content-type': JSON_CONTENT_TYPE, 'content-length': body.length, [REQUEST_ID_HEADER]: nextRequestId() })
  res.end(body)
}

function answerStream (res: ServerResponse): void {
  res.writeHead(OK, { 'content-type': EVENT_STREAM_CONTENT_TYPE, [REQUEST_ID_HEADER]: nextRequestId() })
  res.write(STREAM_FIRST_FRAME)
  let sent = 0
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer)
      return
    }
    res.write(STREAM_DELTA_FRAME)
    if (++sent === STREAM_DELTA_COUNT) {
      clearInterval(timer)
      res.end(STREAM_CLOSING_FRAMES)
    }
  }, STREAM_FRAME_INTERVAL_MS)
}

function answer (req: IncomingMessage, res: ServerResponse, bodyBytes: number): void {
  const path = req.url ?? ''
  if (path.endsWith('/converse')) answerJson(res, CONVERSE_REPLY_BODY)
  else if (path.endsWith('/converse-stream')) answerStream(res)
  else if (path.endsWith('/invoke')) answerJson(res, Buffer.from(JSON.stringify({ receivedBytes: bodyBytes })))
  else {
    res.writeHead(NOT_FOUND, { 'x-amzn-errortype': 'UnknownOperationException', 'content-type': JSON_CONTENT_TYPE })
    res.end('{"message":"Unknown operation"}')
  }
}

const handle: RequestListener = (req, res) => {
  let bodyBytes = 0
  req.on('data', (chunk: Buffer) => { bodyBytes += chunk.length })
  req.on('end', () => answer(req, res, bodyBytes))
}

const [certFile, keyFile] = process.argv.slice(2)
const tls = certFile !== undefined && keyFile !== undefined
const server = tls
  ? createTlsServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, cert: readFileSync(certFile), key: readFileSync(keyFile) }, handle)
  : createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, handle)

server.listen(0, LOOPBACK_HOST, () => {
  const { port } = server.address() as AddressInfo
  serveParent(`${tls ? 'https' : 'http'}://${LOOPBACK_HOST}:${port}`, async () => {
    server.closeAllConnections()
    server.close()
  })
})
