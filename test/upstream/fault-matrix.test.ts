/**
 * What a caller gets, and what the audit line says, for each way Bedrock's side of a request can go wrong: a full
 * gateway in front of a scripted upstream, over HTTP/1.1.
 */
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { crc32 } from 'node:zlib'
import t from 'tap'
import { FAKE_UPSTREAM_CREDENTIALS, decodeFrames, eventFrame, sendSigned, type RawResponse } from '../support/fake-bedrock/index.ts'
import { assertBedrockError, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { startRecordingUpstream } from '../support/recording-upstream.ts'
import { signedConverse } from '../support/signed-converse.ts'

const EVENT_STREAM = 'application/vnd.amazon.eventstream'
const SHORT_TIMEOUT_MS = 300
const TRICKLE_BYTE_DELAY_MS = 2
const AUDIT_MESSAGE = 'bedrock request'

const frame1 = eventFrame('messageStart', { role: 'assistant' })
const frame2 = eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello' } })
const frame3 = eventFrame('metadata', { usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 }, metrics: { latencyMs: 1 } })

function withBadCrc (frame: Buffer): Buffer {
  const copy = Buffer.from(frame)
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1
  return copy
}

/** A prelude whose CRC matches but whose length no frame may have. */
function impossibleLengthPrelude (): Buffer {
  const prelude = Buffer.alloc(12)
  prelude.writeUInt32BE(0xfffffff0, 0)
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8)
  return prelude
}

type Script = (res: ServerResponse, socket: Socket) => void

function streamScript (chunks: readonly Buffer[], then: Script): Script {
  return (res, socket) => {
    res.writeHead(200, { 'content-type': EVENT_STREAM, 'x-amzn-requestid': 'upstream-id' })
    for (const chunk of chunks.slice(0, -1)) res.write(chunk)
    res.write(chunks.at(-1) ?? Buffer.alloc(0), () => setTimeout(() => then(res, socket), 20))
  }
}

const reset: Script = (_res, socket) => socket.destroy()
const endCleanly: Script = (res) => res.end()
const stall: Script = () => {}

interface Expected {
  /** Event-stream message types the caller decodes, in order, and the exception's message. */
  readonly frames?: readonly string[]
  readonly exceptionMessage?: RegExp
  /** A Bedrock error answer the gateway makes instead of a stream. */
  readonly error?: { readonly status: number, readonly type: string }
  /** Bedrock's own error answer, passed on as it came. */
  readonly relayed?: { readonly status: number, readonly type: string }
  /** The caller's connection breaks before a complete answer. */
  readonly broken?: true
  readonly audit: Record<string, unknown>
}

interface FaultCase {
  readonly title: string
  readonly operation: 'converse' | 'converse-stream'
  readonly script: Script
  readonly expected: Expected
}

const CASES: readonly FaultCase[] = [
  { title: 'a reset before the response headers', operation: 'converse-stream', script: reset, expected: { error: { status: 502, type: 'InternalServerException' }, audit: { status: 502, errorType: 'InternalServerException' } } },
  { title: 'a stall before the response headers', operation: 'converse-stream', script: stall, expected: { error: { status: 504, type: 'ModelTimeoutException' }, audit: { status: 504, errorType: 'ModelTimeoutException' } } },
  { title: 'a reset at a frame boundary', operation: 'converse-stream', script: streamScript([frame1], reset), expected: { frames: ['event', 'exception'], exceptionMessage: /broke off/, audit: { status: 200, upstreamStatus: 200 } } },
  { title: 'a reset inside a frame', operation: 'converse-stream', script: streamScript([frame1, frame2.subarray(0, 20)], reset), expected: { frames: ['event', 'exception'], exceptionMessage: /broke off/, audit: { status: 200 } } },
  { title: 'a partial frame, then a clean end', operation: 'converse-stream', script: streamScript([frame1, frame2.subarray(0, 20)], endCleanly), expected: { frames: ['event', 'exception'], exceptionMessage: /ended inside an event/, audit: { status: 200 } } },
  { title: 'a frame with a bad CRC', operation: 'converse-stream', script: streamScript([frame1, withBadCrc(frame2), frame3], endCleanly), expected: { frames: ['event', 'exception'], exceptionMessage: /corrupt/, audit: { status: 200 } } },
  { title: 'a frame with an impossible length', operation: 'converse-stream', script: streamScript([frame1, impossibleLengthPrelude()], endCleanly), expected: { frames: ['event', 'exception'], exceptionMessage: /corrupt/, audit: { status: 200 } } },
  { title: 'garbage instead of frames', operation: 'converse-stream', script: streamScript([Buffer.from('<html>not frames at all</html>')], endCleanly), expected: { frames: ['exception'], exceptionMessage: /corrupt/, audit: { status: 200 } } },
  { title: 'a stall mid-stream', operation: 'converse-stream', script: streamScript([frame1], stall), expected: { frames: ['event', 'exception'], exceptionMessage: /idle time limit/, audit: { status: 200 } } },
  {
    title: 'a trickle, one byte at a time',
    operation: 'converse-stream',
    script: (res) => {
      res.writeHead(200, { 'content-type': EVENT_STREAM })
      const bytes = Buffer.concat([frame1, frame2, frame3])
      let sent = 0
      const timer = setInterval(() => {
        res.write(bytes.subarray(sent, sent + 1))
        if (++sent === bytes.length) {
          clearInterval(timer)
          res.end()
        }
      }, TRICKLE_BYTE_DELAY_MS)
    },
    expected: { frames: ['event', 'event', 'event'], audit: { status: 200, inputTokens: 3, outputTokens: 1 } }
  },
  {
    title: 'an HTML 502 from something in between',
    operation: 'converse',
    script: (res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html><body>502 Bad Gateway</body></html>') },
    expected: { error: { status: 502, type: 'InternalServerException' }, audit: { status: 502, upstreamStatus: 502, upstreamContentType: 'text/html', errorType: 'InternalServerException' } }
  },
  {
    title: 'Bedrock throttling (429)',
    operation: 'converse',
    script: (res) => { res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' }); res.end('{"message":"Too many requests"}') },
    expected: { relayed: { status: 429, type: 'ThrottlingException' }, audit: { status: 429, upstreamStatus: 429 } }
  },
  {
    title: 'a reset halfway through a JSON answer',
    operation: 'converse',
    script: (res, socket) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"output":', () => setTimeout(() => socket.destroy(), 20))
    },
    expected: { broken: true, audit: { status: 200, upstreamStatus: 200 } }
  }
]

t.test('the fault matrix', async (t) => {
  const upstream = await startRecordingUpstream((key) => key === FAKE_UPSTREAM_CREDENTIALS.accessKeyId ? FAKE_UPSTREAM_CREDENTIALS : undefined)
  t.teardown(() => upstream.close())
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml(), upstreamEndpoint: upstream.origin })
  harness.gateway.apply({
    ...harness.config,
    upstream: { ...harness.config.upstream, headersTimeoutMs: SHORT_TIMEOUT_MS, bodyIdleTimeoutMs: SHORT_TIMEOUT_MS }
  })

  for (const fault of CASES) {
    t.test(fault.title, async (t) => {
      upstream.respond = (recorded, res) => fault.script(res, recorded.socket)
      const auditBefore = auditLines(harness.logLines).length
      let response: RawResponse | undefined
      try {
        response = await sendSigned(harness.gateway.url, signedConverse(fault.operation))
      } catch {
        response = undefined
      }
      const { expected } = fault
      if (expected.broken === true) {
        t.equal(response, undefined, 'the caller\'s connection broke: no answer looks complete')
      } else if (expected.error !== undefined) {
        assertBedrockError(t, response as RawResponse, expected.error.status, expected.error.type)
      } else if (expected.relayed !== undefined) {
        t.equal(response?.status, expected.relayed.status)
        t.equal(response?.headers['x-amzn-errortype'], expected.relayed.type)
      } else {
        t.equal(response?.status, 200)
        const frames = decodeFrames(response?.body ?? Buffer.alloc(0))
        t.same(frames.map((frame) => frame.headers[':message-type']), expected.frames, 'whole frames only')
        if (expected.exceptionMessage !== undefined) {
          t.match(frames.at(-1), { headers: { ':exception-type': 'internalServerException' }, payload: { message: expected.exceptionMessage } })
        }
      }
      // The audit line is written once the relay has ended, which may be just after the caller saw the end.
      const added = await auditLinesAfter(harness.logLines, auditBefore)
      t.equal(added.length, 1, 'exactly one audit line')
      t.match(added[0], { decision: 'allowed', client: SIGV4_CLIENT.name, ...expected.audit })
    })
  }
})

function auditLines (logLines: readonly string[]): Array<Record<string, unknown>> {
  return logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === AUDIT_MESSAGE)
}

async function auditLinesAfter (logLines: readonly string[], before: number): Promise<Array<Record<string, unknown>>> {
  for (let attempt = 0; attempt < 50 && auditLines(logLines).length === before; attempt++) await new Promise((resolve) => setTimeout(resolve, 20))
  return auditLines(logLines).slice(before)
}
