import { connect as connectTcp } from 'node:net'
import type { RawResponse } from './fake-bedrock/index.ts'

/** A raw exchange the gateway neither answers nor closes within this long has hung. */
const RAW_EXCHANGE_LIMIT_MS = 5000

/** An interim (1xx) answer's whole head, which an HTTP/1.1 client reads past to the final answer. */
const INTERIM_HEAD = /^HTTP\/1\.1 1\d\d [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/

/** The interim (1xx) answers at the start of `raw`, as text, then the final answer. */
export function splitInterim (raw: Buffer): { readonly interim: string[]; readonly final: Buffer } {
  const interim: string[] = []
  let rest = raw
  for (let head = INTERIM_HEAD.exec(rest.toString('latin1')); head !== null; head = INTERIM_HEAD.exec(rest.toString('latin1'))) {
    interim.push(head[0])
    rest = rest.subarray(head[0].length)
  }
  return { interim, final: rest }
}

/** Splits a raw HTTP/1.1 answer into status, lower-cased headers and body; interim (1xx) answers are skipped, as clients do. */
export function parseResponse (answer: Buffer): RawResponse {
  const raw = splitInterim(answer).final
  const headEnd = raw.indexOf('\r\n\r\n')
  const [statusLine = '', ...headerLines] = raw.subarray(0, headEnd === -1 ? raw.length : headEnd).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: headEnd === -1 ? Buffer.alloc(0) : raw.subarray(headEnd + 4) }
}

/**
 * Writes `bytes` on a fresh connection (then half-closes it when `halfClose`) and resolves with everything the
 * gateway sent until it closed the connection. Rejects if the gateway leaves the connection hanging.
 */
export function exchangeRaw (url: string, bytes: Buffer | string, halfClose = false): Promise<Buffer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), hostname)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the gateway neither answered nor closed within ${RAW_EXCHANGE_LIMIT_MS} ms`))
    }, RAW_EXCHANGE_LIMIT_MS)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
    socket.write(bytes)
    if (halfClose) socket.end()
  })
}

/** An HTTP/1.1 request as bytes: the request line, Host, the headers in the order given, then the body. */
export function rawRequest (url: string, requestLine: string, headers: Record<string, string>, body = ''): string {
  const head = Object.entries({ host: new URL(url).host, ...headers }).map(([name, value]) => `${name}: ${value}\r\n`).join('')
  return `${requestLine}\r\n${head}\r\n${body}`
}
