/**
 * The reference the targets in targets.ts are set against, measured in the same run: a bare re-signing
 * pass-through (node:http + undici + @smithy/signature-v4 with node's sha256). No authentication, no policy,
 * no logging: it forwards the path as received, signs, and pipes the answer back.
 *   node --import tsx bench/gateway/bare-pass-through-process.ts UPSTREAM_URL
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { Agent } from 'undici'
import { serveParent } from './child-ipc.ts'
import { LOOPBACK_HOST, REGION, UPSTREAM_CREDENTIALS } from './workload.ts'

const KEEP_ALIVE_TIMEOUT_MS = 120_000
const BAD_GATEWAY = 502
const upstreamUrl = process.argv[2]
if (upstreamUrl === undefined) throw new Error('usage: bare-pass-through-process.ts UPSTREAM_URL')
const upstream = new URL(upstreamUrl)
const signer = new SignatureV4({
  service: 'bedrock',
  region: REGION,
  credentials: UPSTREAM_CREDENTIALS,
  sha256: Hash.bind(null, 'sha256'),
  uriEscapePath: true
})
const agent = new Agent({ connections: null, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS })

const server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    void (async () => {
      const body = Buffer.concat(chunks)
      const path = req.url ?? '/'
      const signed = await signer.sign(new HttpRequest({
        method: 'POST',
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: Number(upstream.port),
        path,
        headers: {
          host: upstream.host,
          'content-type': req.headers['content-type'] ?? 'application/json',
          'x-amz-content-sha256': createHash('sha256').update(body).digest('hex')
        }
      }))
      const response = await agent.request({ origin: upstream.origin, method: 'POST', path, headers: signed.headers, body })
      res.writeHead(response.statusCode, response.headers as Record<string, string>)
      await pipeline(response.body, res)
    })().catch(() => {
      if (!res.headersSent) res.writeHead(BAD_GATEWAY)
      res.end()
    })
  })
})

server.listen(0, LOOPBACK_HOST, () => {
  const { port } = server.address() as AddressInfo
  serveParent(`http://${LOOPBACK_HOST}:${port}`, async () => {
    server.closeAllConnections()
    server.close()
    await agent.close()
  })
})
