/**
 * SigV4 cost in both directions. Inbound: authenticate() per request, for the request shapes real clients send.
 * Upstream: the gateway's signer against @smithy/signature-v4 (what it replaced), same request, same run.
 * Run: node --import tsx bench/auth.ts   Writes bench/results/auth.json.
 * The body hash is not included (the server computes it once and shares it); it is reported on its own.
 */
import { createHash } from 'node:crypto'
import { sha256Hex } from '../src/sigv4/signature.ts'
import { mkdirSync, writeFileSync } from 'node:fs'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { authenticate } from '../src/auth/authenticate.ts'
import { indexClients } from '../src/auth/client-index.ts'
import type { AuthenticateInput } from '../src/auth/types.ts'
import type { ClientConfig } from '../src/config/types.ts'
import { upstreamRequestHeaders } from '../src/upstream/header-policy.ts'
import { createUpstreamSigner, type UnsignedUpstreamRequest } from '../src/upstream/signer.ts'
import { createOriginResolver } from '../src/upstream/upstream-origin.ts'

const RESULTS_FILE = new URL('./results/auth.json', import.meta.url)
const ITERATIONS = Number(process.env.BENCH_AUTH_ITERATIONS ?? 200_000)
const WARMUP_ITERATIONS = 20_000
const ROUNDS = 5
const BUDGET_MICROSECONDS = 17
const NOW = new Date('2026-11-27T10:15:00Z')
const AUTHORITY = '127.0.0.1:8080'
const KEY_ID = 'GEOFENCEBENCH01'
const SECRET = 'bench-secret-not-a-real-key-0000000000000'
const BEARER_KEY = 'bench-bearer-key-not-a-real-key-000000'
const BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x'.repeat(1900) }] }] })
/** The body as the gateway hashes it: the bytes received. */
const BODY_BYTES = Buffer.from(BODY)
const BODY_SHA256 = sha256Hex(BODY_BYTES)
const CONVERSE_PATH = '/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse'
/** Signing costs several times a verification: fewer iterations give as steady a figure in similar time. */
const SIGNING_ITERATIONS = Math.max(1, Math.round(ITERATIONS / 10))
const SIGNING_WARMUP_ITERATIONS = 5_000
const UPSTREAM_REGION = 'eu-west-2'
/** The gateway signs with temporary credentials; an STS session token runs to some 800 characters, all signed. */
const UPSTREAM_CREDENTIALS = {
  accessKeyId: 'ASIABENCHGATEWAY0001',
  secretAccessKey: 'bench-upstream-secret-not-a-real-key-0000',
  sessionToken: 'bench-session-token-not-real-'.padEnd(800, '0')
}

const allow = { regions: ['eu-west-2'], inferenceProfilePrefixes: [], operations: [], partitions: ['aws'], routedResources: [] }
const clients: ClientConfig[] = [
  { kind: 'sigv4', name: 'bench', accessKeyId: KEY_ID, secretAccessKey: SECRET, allow },
  { kind: 'bearer', name: 'bench-bearer', apiKeySha256: createHash('sha256').update(BEARER_KEY).digest('hex'), allow }
]
const keys = indexClients(clients)
const limits = { clockSkewSeconds: 300 }

async function signed (path: string, headers: Record<string, string>, applyChecksum: boolean): Promise<string[]> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    region: 'eu-west-2',
    service: 'bedrock',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum
  })
  const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path, headers: { host: AUTHORITY, ...headers }, body: BODY })
  const result = await signer.sign(request, { signingDate: NOW })
  return Object.entries(result.headers).flat()
}

/** LiteLLM via botocore: content-type;host;x-amz-date signed, plus the unsigned headers httpx adds. */
async function litellmShape (): Promise<AuthenticateInput> {
  const signedHeaders = await signed(CONVERSE_PATH, { 'content-type': 'application/json' }, false)
  return {
    method: 'POST',
    rawPath: CONVERSE_PATH,
    rawHeaders: [...signedHeaders, 'accept', '*/*', 'accept-encoding', 'gzip, deflate', 'connection', 'keep-alive',
      'user-agent', 'litellm/1.108.7', 'content-length', String(BODY.length)],
    authority: AUTHORITY,
    bodySha256Hex: BODY_SHA256,
    now: NOW
  }
}

/** The AWS SDK for JavaScript v3: eight signed headers including x-amz-content-sha256. */
async function javascriptSdkShape (): Promise<AuthenticateInput> {
  const signedHeaders = await signed(CONVERSE_PATH, {
    'content-type': 'application/json',
    'content-length': String(BODY.length),
    'x-amz-user-agent': 'aws-sdk-js/3.1164.0',
    'amz-sdk-invocation-id': '6f1b7c3e-6d2a-4d43-9a57-1c8f0c6b1d2e',
    'amz-sdk-request': 'attempt=1; max=3'
  }, true)
  return {
    method: 'POST',
    rawPath: CONVERSE_PATH,
    rawHeaders: [...signedHeaders, 'user-agent', 'aws-sdk-js/3.1164.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2'],
    authority: AUTHORITY,
    bodySha256Hex: BODY_SHA256,
    now: NOW
  }
}

function bearerShape (): AuthenticateInput {
  return {
    method: 'POST',
    rawPath: '/eu-west-2' + CONVERSE_PATH,
    rawHeaders: ['host', AUTHORITY, 'content-type', 'application/json', 'authorization', 'Bearer ' + BEARER_KEY],
    authority: AUTHORITY,
    bodySha256Hex: BODY_SHA256,
    now: NOW
  }
}

const upstreamOrigin = createOriginResolver('https://bedrock-runtime.{region}.amazonaws.com')(UPSTREAM_REGION)
const upstreamConverse: UnsignedUpstreamRequest = {
  region: UPSTREAM_REGION,
  signingName: 'bedrock',
  method: 'POST',
  origin: upstreamOrigin,
  path: CONVERSE_PATH,
  query: '',
  headers: upstreamRequestHeaders({ 'content-type': 'application/json', 'user-agent': 'litellm/1.108.7' }, 'Converse'),
  bodySha256Hex: BODY_SHA256
}
const oursSigner = createUpstreamSigner(async () => UPSTREAM_CREDENTIALS, () => NOW.getTime())
const smithySigner = new SignatureV4({
  service: 'bedrock', region: UPSTREAM_REGION, credentials: UPSTREAM_CREDENTIALS, sha256: Hash.bind(null, 'sha256'), uriEscapePath: true
})

/** The same request as @smithy/signature-v4 was called for it: a fresh HttpRequest each time, the host and hash set. */
async function smithySignedUpstream (): Promise<Record<string, string>> {
  const { headers, bodySha256Hex } = upstreamConverse
  const request = new HttpRequest({
    method: upstreamConverse.method,
    protocol: upstreamOrigin.protocol,
    hostname: upstreamOrigin.hostname,
    path: upstreamConverse.path,
    headers: { ...headers, host: upstreamOrigin.host, 'x-amz-content-sha256': bodySha256Hex }
  })
  return (await smithySigner.sign(request, { signingDate: NOW })).headers
}

interface Measurement {
  readonly case: string
  readonly iterations: number
  readonly verificationsPerSecond: number
  readonly microsecondsEach: number
}

/** Best of several rounds: the least disturbed by other work on a shared machine. */
function measure (name: string, run: () => void): Measurement {
  for (let i = 0; i < WARMUP_ITERATIONS; i++) run()
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < ITERATIONS; i++) run()
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1000)
  }
  const microsecondsEach = best / ITERATIONS
  return { case: name, iterations: ITERATIONS, verificationsPerSecond: Math.round(1e6 / microsecondsEach), microsecondsEach: round3(microsecondsEach) }
}

/** Best round of each, the two taking turns so that both see the same machine. */
async function measureSigning (): Promise<{ oursNanoseconds: number, smithyNanoseconds: number }> {
  const ours = (): Promise<unknown> => oursSigner.sign(upstreamConverse)
  for (let i = 0; i < SIGNING_WARMUP_ITERATIONS; i++) {
    await ours()
    await smithySignedUpstream()
  }
  let oursNanoseconds = Number.POSITIVE_INFINITY
  let smithyNanoseconds = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    oursNanoseconds = Math.min(oursNanoseconds, await nanosecondsEach(ours))
    smithyNanoseconds = Math.min(smithyNanoseconds, await nanosecondsEach(smithySignedUpstream))
  }
  return { oursNanoseconds, smithyNanoseconds }
}

async function nanosecondsEach (sign: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  for (let i = 0; i < SIGNING_ITERATIONS; i++) await sign()
  return Number(process.hrtime.bigint() - start) / SIGNING_ITERATIONS
}

function round3 (value: number): number {
  return Math.round(value * 1000) / 1000
}

const litellm = await litellmShape()
const javascriptSdk = await javascriptSdkShape()
const bearer = bearerShape()
for (const input of [litellm, javascriptSdk, bearer]) authenticate(input, keys, limits)

// The comparison means something only if both sign alike: same date, same request, so the same Authorization.
const oursAuthorization = (await oursSigner.sign(upstreamConverse)).authorization
if (oursAuthorization !== (await smithySignedUpstream()).authorization) throw new Error('the two signers disagree: compare them before timing them')

const measurements = [
  measure('sigv4 LiteLLM/botocore shape (3 signed headers)', () => authenticate(litellm, keys, limits)),
  measure('sigv4 AWS SDK for JavaScript shape (8 signed headers)', () => authenticate(javascriptSdk, keys, limits)),
  measure('bearer', () => authenticate(bearer, keys, limits)),
  measure('sigv4 signing-key derivation on a cache miss (fresh index each time)', () => authenticate(litellm, indexClients(clients), limits)),
  measure('for reference, outside verification: sha256 of the 2 KB body', () => sha256Hex(BODY_BYTES))
]
const signing = await measureSigning()
const upstreamSigning = {
  case: 'upstream signing: Converse with a session token (src/upstream signer vs @smithy/signature-v4, same request and date)',
  iterations: SIGNING_ITERATIONS,
  oursNanosecondsEach: Math.round(signing.oursNanoseconds),
  smithyNanosecondsEach: Math.round(signing.smithyNanoseconds),
  smithyToOursRatio: Math.round(signing.smithyNanoseconds / signing.oursNanoseconds * 100) / 100
}

const result = {
  benchmark: 'SigV4: inbound authentication (src/auth authenticate()) and upstream signing (src/upstream signer)',
  node: process.version,
  date: new Date().toISOString(),
  budgetMicrosecondsPerRequest: BUDGET_MICROSECONDS,
  bodyBytes: BODY.length,
  measurements,
  upstreamSigning
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
writeFileSync(RESULTS_FILE, JSON.stringify(result, null, 2) + '\n')
for (const m of measurements) console.log(`${m.case}: ${m.microsecondsEach} µs each, ${m.verificationsPerSecond}/s`)
console.log(`${upstreamSigning.case}: ours ${upstreamSigning.oursNanosecondsEach} ns each, ` +
  `@smithy/signature-v4 ${upstreamSigning.smithyNanosecondsEach} ns each (${upstreamSigning.smithyToOursRatio}x)`)
console.log(`written to ${RESULTS_FILE.pathname}`)
