import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { CredentialLookup } from './fake-bedrock/credentials.ts'
import { verifySignature, type SignatureVerdict } from './fake-bedrock/sigv4/verify-signature.ts'

/** One request as the upstream received it, with the fake Bedrock's SigV4 verdict on it. */
export interface RecordedRequest {
  readonly method: string
  readonly target: string
  readonly headers: IncomingMessage['headers']
  readonly rawHeaders: readonly string[]
  readonly body: Buffer
  readonly signature: SignatureVerdict
  readonly receivedAt: number
  readonly socket: Socket
}

const SIGNING_SERVICE = 'bedrock'
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

export type Responder = (request: RecordedRequest, res: ServerResponse) => void

export interface RecordingUpstream {
  /** `http://127.0.0.1:PORT`, usable as an `upstream.endpoint` (it has no `{region}`: every region lands here). */
  readonly origin: string
  readonly requests: RecordedRequest[]
  /** How the next requests are answered; a JSON 200 until replaced. */
  respond: Responder
  close (): Promise<void>
}

const answerJson: Responder = (_request, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'upstream-request-id' })
  res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'hi' }] } } }))
}

/**
 * A plain HTTP server on 127.0.0.1 standing in for bedrock-runtime, scripted per test: it records every request it
 * receives and checks its signature with the fake Bedrock's independent verifier (which shares no code with the
 * gateway's signer) against the credentials `lookupCredentials` knows, expiry included.
 */
export async function startRecordingUpstream (lookupCredentials: CredentialLookup): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const upstream: RecordingUpstream = {
    get origin () { return `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    requests,
    respond: answerJson,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const target = req.url ?? '/'
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        target,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
        signature: verifySignature({ method: req.method ?? '', rawUrl: target, rawHeaders: req.rawHeaders, body },
          { service: SIGNING_SERVICE, lookupCredentials, now: new Date(), maxClockSkewMs: MAX_CLOCK_SKEW_MS }),
        receivedAt: Date.now(),
        socket: req.socket
      }
      requests.push(recorded)
      upstream.respond(recorded, res)
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return upstream
}
