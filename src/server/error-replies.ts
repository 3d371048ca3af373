import type { FastifyReply } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Http2ServerResponse } from 'node:http2'
import { BedrockError, toWireError } from '../core/index.ts'
import { MAX_HEADER_BYTES, MAX_HEADER_FIELDS } from './header-limits.ts'

/** Answers with a Bedrock-shaped error: status, `x-amzn-ErrorType`, `x-amzn-RequestId` and the JSON body. */
export function sendBedrockError (reply: FastifyReply, error: BedrockError, requestId: string): void {
  const wire = toWireError(error, requestId)
  // As bytes: Fastify appends `; charset=utf-8` to a JSON content type sent with a string, and Bedrock sends none.
  void reply.code(wire.status).headers(wire.headers).send(Buffer.from(wire.body))
}

/**
 * The answer to a request whose reply was handed over to the relay (hijacked) when something broke: the error itself
 * while nothing was written yet, otherwise the connection's end, so the caller is never left waiting for the rest.
 */
export function failHijackedReply (raw: ServerResponse | Http2ServerResponse, error: BedrockError, requestId: string): void {
  if (!raw.headersSent) {
    const wire = toWireError(error, requestId)
    raw.statusCode = wire.status
    for (const [name, value] of Object.entries(wire.headers)) raw.setHeader(name, value)
    raw.end(wire.body)
    return
  }
  if (!raw.writableEnded) raw.destroy()
}

/** Request ids have Bedrock's own shape (a UUID), so they fit wherever clients log `x-amzn-RequestId`. */
export function newRequestId (): string {
  return randomUUID()
}

const CONTENT_LENGTH_WITH_TRANSFER_ENCODING = 'Content-Length and Transfer-Encoding cannot both be sent.'

/** Node's parser error codes for a request it could not even read, and how Bedrock would refuse each. */
const CLIENT_ERRORS: Readonly<Record<string, { status: number; message: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: `Request headers are too large (over ${MAX_HEADER_BYTES / 1024} KiB, or more than ${MAX_HEADER_FIELDS} header fields).` },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { status: 400, message: CONTENT_LENGTH_WITH_TRANSFER_ENCODING },
  HPE_INVALID_TRANSFER_ENCODING: { status: 400, message: CONTENT_LENGTH_WITH_TRANSFER_ENCODING },
  HPE_INVALID_METHOD: { status: 400, message: 'The request method is not one Amazon Bedrock uses (methods are upper case).' }
}

/** llhttp reports a repeated Content-Length under the same code as one sent with Transfer-Encoding; its reason tells them apart. */
const DUPLICATE_CONTENT_LENGTH_REASON = 'Duplicate Content-Length'
const DUPLICATE_CONTENT_LENGTH = { status: 400, message: 'A request may carry only one Content-Length.' }

/** A refusal written straight to the socket, for the request's audit line. */
export interface RawRefusal {
  readonly error: BedrockError
  readonly requestId: string
}

/**
 * Answers an HTTP/1.1 request the parser refused (smuggling attempts, oversized headers, slow senders) in Bedrock's
 * shape instead of Node's bare `400 Bad Request`, then closes the connection: its framing can no longer be trusted.
 * Returns what it answered, or undefined when the caller was already gone and nothing could be.
 */
export function writeRawClientError (error: Error & { code?: string, reason?: string }, socket: Duplex): RawRefusal | undefined {
  // A request answered already (its unread body was being drained when the parser failed) gets no second answer.
  const answered = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
  if (!socket.writable || answered || (error.code === 'ECONNRESET')) {
    socket.destroy()
    return undefined
  }
  const known = error.reason === DUPLICATE_CONTENT_LENGTH_REASON ? DUPLICATE_CONTENT_LENGTH : CLIENT_ERRORS[error.code ?? '']
  const status = known?.status ?? 400
  const requestId = newRequestId()
  const refusal = new BedrockError('ValidationException', known?.message ?? 'The request could not be parsed.', { status, cause: error })
  const wire = toWireError(refusal, requestId)
  const headers = Object.entries({ ...wire.headers, 'content-length': String(Buffer.byteLength(wire.body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('')
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n${headers}\r\n${wire.body}`)
  return { error: refusal, requestId }
}
