/**
 * Decisions per second for a realistic mix of requests: understandRequest (parse, decode, validate, read bodies
 * where needed) followed by decide; and the bytes each decision allocates, garbage included. Run:
 * node --import tsx bench/engine.ts
 * Prints a summary and writes bench/results/engine.json.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AllowList } from '../src/config/types.ts'
import { OPERATION_NAMES, DEFAULT_ALLOWED_OPERATIONS } from '../src/bedrock/operation-names.ts'
import { understandRequest, type IncomingBedrockRequest } from '../src/bedrock/request.ts'
import { decide } from '../src/policy/engine.ts'
import type { RequestFacts } from '../src/policy/types.ts'

const RESULT_FILE = join(dirname(fileURLToPath(import.meta.url)), 'results', 'engine.json')
const WARM_UP_MS = 500
const MEASURE_MS = 3000
/** Decisions whose allocations are sampled, per figure; one sample per this many bytes on average. */
const ALLOCATION_CALLS = 20_000
const ALLOCATION_SAMPLING_INTERVAL_BYTES = 64

const ALLOW: AllowList = {
  regions: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-2', 'ap-southeast-2', 'ap-southeast-4'],
  inferenceProfilePrefixes: ['us'],
  operations: [...DEFAULT_ALLOWED_OPERATIONS, 'StartAsyncInvoke'],
  partitions: ['aws'],
  routedResources: []
}

const US = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const encoder = new TextEncoder()
const converseBody = (text: string, extra: Record<string, unknown> = {}): Uint8Array =>
  encoder.encode(JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }], inferenceConfig: { maxTokens: 512 }, ...extra }))
const prompt = (bytes: number): string => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(bytes / 27)).slice(0, bytes)

interface MixEntry { readonly name: string, readonly weight: number, readonly region: string, readonly request: IncomingBedrockRequest }

/** What botocore sends with a signed request, as node hands it over (lower-case names). */
const CLIENT_HEADERS: Readonly<Record<string, string>> = {
  host: 'bedrock-geofence.internal:8080',
  'accept-encoding': 'identity',
  'content-type': 'application/json',
  accept: 'application/json',
  'user-agent': 'Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux#6.8 md/arch#x86_64 lang/python#3.12.3 cfg/retry-mode#standard',
  'x-amz-date': '20261127T120000Z',
  'x-amz-security-token': 'IQoJb3JpZ2luX2VjEXAMPLE',
  authorization: 'AWS4-HMAC-SHA256 Credential=GEOFENCELITELLM01/20261127/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0000',
  'amz-sdk-invocation-id': '3b0e4cc4-3c3f-4e0b-9b5d-6f2f0d7c8a11',
  'amz-sdk-request': 'attempt=1; max=3',
  'content-length': '2000'
}

const post = (target: string, body: Uint8Array = new Uint8Array(), headers: Record<string, string> = {}): IncomingBedrockRequest =>
  ({ method: 'POST', target, headers: { ...CLIENT_HEADERS, ...headers }, body })

/** Roughly what a LiteLLM-fronted fleet sends: mostly allowed chat through us. profiles, some refusals. */
const MIX: MixEntry[] = [
  { name: 'Converse, encoded us. profile, 2 KB prompt', weight: 35, region: 'us-east-1', request: post(`/model/${encodeURIComponent(US)}/converse`, converseBody(prompt(2_000))) },
  { name: 'ConverseStream, encoded us. profile, 8 KB prompt', weight: 15, region: 'us-west-2', request: post(`/model/${encodeURIComponent(US)}/converse-stream`, converseBody(prompt(8_000))) },
  { name: 'InvokeModel, raw foundation model id, 50 KB opaque body', weight: 15, region: 'us-east-1', request: post('/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke', encoder.encode(prompt(50_000))) },
  { name: 'InvokeModelWithResponseStream, raw us. profile', weight: 8, region: 'us-east-2', request: post(`/model/${US}/invoke-with-response-stream`, encoder.encode('{"prompt":"hi"}')) },
  { name: 'Converse with a guardrail ARN, 20 KB prompt', weight: 5, region: 'us-east-1', request: post(`/model/${encodeURIComponent(US)}/converse`, converseBody(prompt(20_000), { guardrailConfig: { guardrailIdentifier: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr0abc123def', guardrailVersion: '1' } })) },
  { name: 'InvokeModel, inference-profile ARN', weight: 5, region: 'us-east-1', request: post(`/model/${encodeURIComponent(`arn:aws:bedrock:us-east-1:111122223333:inference-profile/${US}`)}/invoke`, encoder.encode('{}')) },
  { name: 'StartAsyncInvoke', weight: 2, region: 'us-east-1', request: post('/async-invoke', encoder.encode(JSON.stringify({ modelId: 'amazon.nova-reel-v1:0', modelInput: { text: 'x' }, outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://b/k' } } }))) },
  { name: 'refused: eu. profile from London', weight: 6, region: 'eu-west-2', request: post(`/model/${encodeURIComponent(`eu.${US.slice(3)}`)}/converse`, converseBody('hi')) },
  { name: 'refused: global. profile', weight: 4, region: 'us-east-1', request: post(`/model/global.${US.slice(3)}/invoke`, encoder.encode('{}')) },
  { name: 'refused: encoded slash', weight: 3, region: 'us-east-1', request: post('/model/us.x%2F..%2Fglobal.y/invoke') },
  { name: 'refused: region outside the allowlist', weight: 2, region: 'eu-west-3', request: post(`/model/${encodeURIComponent(US)}/converse`, converseBody('hi')) }
]

function decideOne (entry: MixEntry): boolean {
  const understood = understandRequest(entry.request)
  if (!understood.ok) return false
  return decide({ operation: understood.operation, region: entry.region, identifiers: understood.identifiers }, ALLOW).allowed
}

/** The mix laid out by weight, so one pass over it is one weighted round. */
const ROUND: MixEntry[] = MIX.flatMap((entry) => Array.from({ length: entry.weight }, () => entry))

function run (ms: number, body: () => number): { count: number, elapsedMs: number, allowed: number } {
  let count = 0
  let allowed = 0
  const start = performance.now()
  let elapsedMs = 0
  while (elapsedMs < ms) {
    allowed += body()
    count += ROUND.length
    elapsedMs = performance.now() - start
  }
  return { count, elapsedMs, allowed }
}

const mixRound = (): number => {
  let allowed = 0
  for (const entry of ROUND) if (decideOne(entry)) allowed++
  return allowed
}

/** decide() alone, on facts understood once up front: the cost the engine adds when facts are already known. */
const FACTS: { facts: RequestFacts }[] = ROUND.flatMap((entry) => {
  const understood = understandRequest(entry.request)
  return understood.ok ? [{ facts: { operation: understood.operation, region: entry.region, identifiers: understood.identifiers } }] : []
})
const decideRound = (): number => {
  let allowed = 0
  for (const { facts } of FACTS) if (decide(facts, ALLOW).allowed) allowed++
  return allowed
}

interface SamplingHeapProfileNode { readonly selfSize: number, readonly children: readonly SamplingHeapProfileNode[] }

function sampledBytes (node: SamplingHeapProfileNode): number {
  return node.children.reduce((sum, child) => sum + sampledBytes(child), node.selfSize)
}

/**
 * Bytes allocated per call, garbage included: V8's sampling heap profiler, told to keep the samples of objects that
 * garbage collection has already freed (the profile then estimates everything allocated, not what is still live).
 */
async function bytesPerCall (body: () => unknown, calls: number): Promise<number> {
  const session = new Session()
  session.connect()
  try {
    const sampling = { samplingInterval: ALLOCATION_SAMPLING_INTERVAL_BYTES, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true }
    await session.post('HeapProfiler.startSampling', sampling)
    for (let i = 0; i < calls; i++) body()
    const { profile } = await session.post('HeapProfiler.stopSampling')
    return sampledBytes(profile.head) / calls
  } finally {
    session.disconnect()
  }
}

async function perEntry (): Promise<{ name: string, weight: number, nsPerDecision: number, bytesPerDecision: number }[]> {
  const entries = []
  for (const entry of MIX) {
    const iterations = 20_000
    for (let i = 0; i < 1_000; i++) decideOne(entry)
    const start = performance.now()
    for (let i = 0; i < iterations; i++) decideOne(entry)
    const nsPerDecision = Math.round(((performance.now() - start) * 1e6) / iterations)
    const bytesPerDecision = Math.round(await bytesPerCall(() => decideOne(entry), ALLOCATION_CALLS))
    entries.push({ name: entry.name, weight: entry.weight, nsPerDecision, bytesPerDecision })
  }
  return entries
}

run(WARM_UP_MS, mixRound)
const mix = run(MEASURE_MS, mixRound)
run(WARM_UP_MS, () => { decideRound(); return 0 })
const started = performance.now()
let decideCount = 0
while (performance.now() - started < MEASURE_MS) { decideRound(); decideCount += FACTS.length }
const decideElapsed = performance.now() - started
const entries = await perEntry()
const mixBytes = await bytesPerCall(mixRound, Math.ceil(ALLOCATION_CALLS / ROUND.length)) / ROUND.length
const decideBytes = await bytesPerCall(decideRound, Math.ceil(ALLOCATION_CALLS / FACTS.length)) / FACTS.length

const result = {
  date: new Date().toISOString(),
  node: process.version,
  operations: OPERATION_NAMES.length,
  mix: {
    decisionsPerSecond: Math.round(mix.count / (mix.elapsedMs / 1000)),
    nsPerDecision: Math.round((mix.elapsedMs * 1e6) / mix.count),
    bytesPerDecision: Math.round(mixBytes),
    allowedShare: Number((mix.allowed / mix.count).toFixed(3))
  },
  decideOnly: {
    decisionsPerSecond: Math.round(decideCount / (decideElapsed / 1000)),
    nsPerDecision: Math.round((decideElapsed * 1e6) / decideCount),
    bytesPerDecision: Math.round(decideBytes)
  },
  entries
}

console.log(`understand + decide, realistic mix: ${result.mix.decisionsPerSecond.toLocaleString('en')} decisions/s ` +
  `(${(result.mix.nsPerDecision / 1000).toFixed(2)} µs and ${result.mix.bytesPerDecision.toLocaleString('en')} bytes each, ` +
  `${(result.mix.allowedShare * 100).toFixed(0)}% allowed)`)
console.log(`decide alone:                      ${result.decideOnly.decisionsPerSecond.toLocaleString('en')} decisions/s ` +
  `(${(result.decideOnly.nsPerDecision / 1000).toFixed(2)} µs and ${result.decideOnly.bytesPerDecision.toLocaleString('en')} bytes each)`)
for (const entry of entries) {
  console.log(`  ${(entry.nsPerDecision / 1000).toFixed(2).padStart(8)} µs ${String(entry.bytesPerDecision).padStart(7)} B  ${entry.name}`)
}

await mkdir(dirname(RESULT_FILE), { recursive: true })
await writeFile(RESULT_FILE, JSON.stringify(result, null, 2) + '\n')
console.log(`written to ${RESULT_FILE}`)
