import { writeFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http2 from 'node:http2'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { parse, stringify } from 'yaml'
import { loadConfig } from '../../../src/config/load-config.ts'
import { startGateway, type RunningGateway } from '../../../src/server/serve.ts'
import { FAKE_UPSTREAM_CREDENTIALS, signedHeaders, startFakeBedrock, type FakeBedrock, type RecordedRequest } from '../fake-bedrock/index.ts'
import { leakedHeaders } from '../gateway-clients.ts'
import { exchangeRaw, parseResponse } from '../raw-http1.ts'
import { BODY_MODEL_OPERATIONS, decodeOnce, judge, MODEL_OPERATIONS } from './allowlist-model.ts'
import { generateCase, type FuzzCase } from './generate-case.ts'

const SHIPPED_CONFIG = new URL('../../../config/geofence.yaml', import.meta.url)
const FUZZ_CLIENT = { name: 'fuzz', accessKeyId: 'GEOFENCEFUZZCLIENT01', secretAccessKey: 'fuzz-client-secret-for-tests-only-0123' } as const
const SECRET_VARIABLE = 'FUZZ_CLIENT_SECRET'
const FIRST_SERVER_ERROR = 500

export interface FuzzFailure {
  readonly fuzzCase: FuzzCase
  readonly problem: string
  /** The request as sent, for replaying it by hand (its signature is only good for five minutes). */
  readonly raw: string
}

export interface FuzzReport {
  readonly cases: number
  /** Cases the test's own signer or HTTP/2 client could not even send (e.g. a pseudo-header among the headers). */
  readonly unsendable: number
  readonly forwarded: number
  readonly failures: readonly FuzzFailure[]
  readonly elapsedMs: number
}

interface FuzzTarget {
  readonly fake: FakeBedrock
  readonly gateway: RunningGateway
  close (): Promise<void>
}

/** The fake Bedrock and a gateway on the shipped allowlist (plus one SigV4 client, so signatures are checked). */
async function startTarget (): Promise<FuzzTarget> {
  const fake = await startFakeBedrock()
  const shipped = parse(readFileSync(SHIPPED_CONFIG, 'utf8')) as Record<string, unknown>
  const dir = mkdtempSync(join(tmpdir(), 'geofence-fuzz-'))
  const path = join(dir, 'geofence.yaml')
  writeFileSync(path, stringify({
    ...shipped,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    // The runtime's OpenAI Chat Completions too: its model id is in the body.
    allow: { ...(shipped.allow as Record<string, unknown>), operations: [...MODEL_OPERATIONS, ...Object.values(BODY_MODEL_OPERATIONS)] },
    upstream: { endpoint: fake.url, controlPlaneEndpoint: fake.url },
    limits: { maxEventLoopDelayMs: 0 },
    clients: [{ name: FUZZ_CLIENT.name, accessKeyId: FUZZ_CLIENT.accessKeyId, secretAccessKey: `\${env:${SECRET_VARIABLE}}` }]
  }))
  const config = await loadConfig(path, { [SECRET_VARIABLE]: FUZZ_CLIENT.secretAccessKey })
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger: pino({ level: 'silent' }) })
  return {
    fake,
    gateway,
    close: async () => {
      await gateway.shutdown()
      await fake.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

function rawHttp1 (fuzzCase: FuzzCase, host: string, signed: Record<string, string>): string {
  const headers: Array<readonly [string, string]> = [['host', host]]
  for (const [name, value] of Object.entries(signed)) if (name !== 'host') headers.push([name, value])
  headers.push(...fuzzCase.extraHeaders, ['content-length', String(Buffer.byteLength(fuzzCase.body))], ['connection', 'close'])
  return `${fuzzCase.method} ${fuzzCase.target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${fuzzCase.body}`
}

async function sendHttp2 (session: http2.ClientHttp2Session, fuzzCase: FuzzCase, signed: Record<string, string>): Promise<number> {
  const headers: http2.OutgoingHttpHeaders = { ':method': fuzzCase.method, ':path': fuzzCase.target }
  for (const [name, value] of Object.entries(signed)) if (name !== 'host') headers[name] = value
  for (const [name, value] of fuzzCase.extraHeaders) headers[name] = value
  const stream = session.request(headers)
  stream.on('error', () => {})
  // GET and HEAD streams are ended by the client itself.
  if (!stream.writableEnded) stream.end(fuzzCase.body)
  const [response] = await Promise.race([
    new Promise<[http2.IncomingHttpHeaders]>((resolve) => stream.once('response', (answer) => resolve([answer]))),
    new Promise<[http2.IncomingHttpHeaders]>((resolve) => stream.once('close', () => resolve([{}])))
  ])
  stream.resume()
  await new Promise((resolve) => { if (stream.closed) resolve(undefined); else stream.once('close', resolve) })
  return Number(response[':status'] ?? 0)
}

/** Everything wrong with what reached the fake for this case, judged by the model alone. */
function problemsWith (fuzzCase: FuzzCase, status: number, records: readonly RecordedRequest[]): string[] {
  const problems: string[] = []
  if (status >= FIRST_SERVER_ERROR) problems.push(`the gateway answered ${status}`)
  if (records.length > 1) problems.push(`${records.length} requests reached Bedrock for one call`)
  const verdict = judge(fuzzCase.method, fuzzCase.target, fuzzCase.scopeRegion, fuzzCase.body)
  for (const record of records) {
    if (!verdict.allowed) {
      problems.push(`forwarded although the model refuses it (${verdict.why})`)
      continue
    }
    const { meant } = verdict
    if (record.region !== meant.region) problems.push(`forwarded to ${record.region ?? 'no region'}, meant ${meant.region}`)
    if (record.operation !== meant.operation) problems.push(`forwarded as ${record.operation ?? 'no operation'}, meant ${meant.operation}`)
    const forwardedModel = Object.values(BODY_MODEL_OPERATIONS).includes(meant.operation)
      ? (JSON.parse(record.body.toString('utf8')) as { model?: unknown }).model
      : decodeOnce(record.path.split('?')[0]?.split('/')[2] ?? '')
    if (forwardedModel !== meant.modelId) problems.push(`forwarded model ${JSON.stringify(forwardedModel)}, meant ${JSON.stringify(meant.modelId)}`)
    if (record.body.toString('utf8') !== fuzzCase.body) problems.push('the body Bedrock received is not the body the caller sent')
    if (record.signature?.ok !== true || record.signature.accessKeyId !== FAKE_UPSTREAM_CREDENTIALS.accessKeyId) problems.push('not signed with the gateway\'s own credentials')
    const leaked = leakedHeaders(record)
    if (leaked.length > 0) problems.push(`caller headers reached Bedrock: ${leaked.join(', ')}`)
  }
  return problems
}

/** Runs cases `first` to `first + count - 1` of the run seeded with `seed`, one at a time, so each forward is attributable. */
export async function runFuzz (seed: number, count: number, first = 0): Promise<FuzzReport> {
  const startedAt = performance.now()
  const target = await startTarget()
  const url = target.gateway.url
  const host = new URL(url).host
  let session = http2.connect(url)
  session.on('error', () => {})
  const failures: FuzzFailure[] = []
  let unsendable = 0
  let forwarded = 0
  try {
    for (let index = first; index < first + count; index++) {
      const fuzzCase = generateCase(seed, index)
      let signed: Record<string, string>
      try {
        signed = await signedHeaders(url, { method: fuzzCase.method, path: fuzzCase.target, region: fuzzCase.scopeRegion, credentials: FUZZ_CLIENT, headers: { 'content-type': 'application/json' }, body: fuzzCase.body })
      } catch {
        unsendable++
        continue
      }
      const raw = rawHttp1(fuzzCase, host, signed)
      const before = target.fake.requests.length
      let status: number
      if (session.destroyed || session.closed) {
        // The gateway may end a session over a malformed stream; later cases get a new one.
        session = http2.connect(url)
        session.on('error', () => {})
      }
      try {
        status = fuzzCase.transport === 'h2c' ? await sendHttp2(session, fuzzCase, signed) : parseResponse(await exchangeRaw(url, Buffer.from(raw, 'utf8'))).status
      } catch {
        unsendable++
        continue
      }
      const records = target.fake.requests.slice(before)
      forwarded += records.length
      for (const problem of problemsWith(fuzzCase, status, records)) failures.push({ fuzzCase, problem, raw })
    }
  } finally {
    session.destroy()
    await target.close()
  }
  return { cases: count, unsendable, forwarded, failures, elapsedMs: performance.now() - startedAt }
}

/** A failure as printed: how to regenerate it, what was wrong, and the request as sent. */
export function describeFailure (seed: number, failure: FuzzFailure): string {
  return [
    `case ${failure.fuzzCase.index} of seed ${seed} (${failure.fuzzCase.transport}): ${failure.problem}`,
    `  replay: npm run fuzz -- --seed ${seed} --first ${failure.fuzzCase.index} --cases 1`,
    `  raw request: ${JSON.stringify(failure.raw)}`
  ].join('\n')
}
