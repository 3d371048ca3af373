import type { FastifyReply } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { STATUS_CODES } from 'node:http'
import { BedrockError, toWireError } from '../core/index.ts'

/** Answers with a Bedrock-shaped error: status, `x-amzn-ErrorType`, `x-amzn-RequestId` and the JSON body. */
export function sendBedrockError (reply: FastifyReply, error: BedrockError, requestId: string): void {
  const wire = toWireError(error, requestId)
  // As bytes: Fastify appends `; charset=utf-8` to a JSON content type sent with a string, and Bedrock sends none.
  void reply.code(wire.status).headers(wire.headers).send(Buffer.from(wire.body))
}

/** Request ids have Bedrock's own shape (a UUID), so they fit wherever clients log `x-amzn-RequestId`. */
export function newRequestId (): string {
  return randomUUID()
}

/** Node's parser error codes for a request it could not even read, and how Bedrock would refuse each. */
const CLIENT_ERRORS: Readonly<Record<string, { status: number; message: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'Request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { status: 400, message: 'Content-Length and Transfer-Encoding cannot both be sent.' }
}

/**
 * Answers an HTTP/1.1 request the parser refused (smuggling attempts, oversized headers, slow senders) in Bedrock's
 * shape instead of Node's bare `400 Bad Request`, then closes the connection: its framing can no longer be trusted.
 */
export function writeRawClientError (error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET')) {
    socket.destroy()
    return
  }
  const known = CLIENT_ERRORS[error.code ?? '']
  const status = known?.status ?? 400
  const wire = toWireError(new BedrockError('ValidationException', known?.message ?? 'The request could not be parsed.', { status, cause: error }), newRequestId())
  const headers = Object.entries({ ...wire.headers, 'content-length': String(Buffer.byteLength(wire.body)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('')
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n${headers}\r\n${wire.body}`)
}
