/**
 * Where a gateway's CPU goes, from a V8 .cpuprofile (BENCH_GATEWAY_CPU_PROF=DIR npm run bench -- gateway):
 * each sample is charged to the innermost frame that belongs to a known part of the request path (so the HMAC that
 * the upstream signer calls counts as signing, and a socket write counts as the write wherever it came from).
 *   node --import tsx bench/gateway/profile-summary.ts FILE.cpuprofile [REQUESTS]
 * With REQUESTS (how many the process answered while profiled) it also prints microseconds per request. V8 samples
 * wall time on the main thread: compiler and GC helper threads are not in it, and on a busy machine time spent
 * descheduled lands in whatever frame was running.
 */
import { readFileSync } from 'node:fs'

interface CallFrame { readonly functionName: string, readonly url: string }
interface ProfileNode { readonly id: number, readonly callFrame: CallFrame, readonly children?: readonly number[] }
interface CpuProfile { readonly nodes: readonly ProfileNode[], readonly samples: readonly number[], readonly timeDeltas: readonly number[] }

/** First match wins, innermost frame first. Parts marked `weak` are charged only when no other part is on the stack. */
const PARTS: ReadonlyArray<{ readonly name: string, readonly pattern: RegExp, readonly weak?: boolean }> = [
  { name: 'idle', pattern: /^\(idle\)$/ },
  { name: 'garbage collection', pattern: /^\(garbage collector\)$/ },
  { name: 'socket writes (syscall)', pattern: /^(writev|writeBuffer|writeString|writeUtf8String|writeLatin1String)$/ },
  { name: 'AbortController / EventTarget', pattern: /abort_controller|event_target/ },
  // The upstream signer is built from src/sigv4, like inbound verification, so the two directions are one part.
  { name: 'SigV4: inbound verification and upstream signing', pattern: /src\/sigv4\/|src\/auth\/|identify-caller|src\/upstream\/signer|@smithy\/signature-v4/ },
  { name: 'request understanding (src/bedrock)', pattern: /src\/bedrock\/(?!usage|event-stream)/ },
  { name: 'policy decision (src/policy)', pattern: /src\/policy\// },
  { name: 'audit log (pino)', pattern: /pino|sonic-boom|redact|audit-log/ },
  { name: 'metrics (prom-client)', pattern: /prom-client|src\/server\/metrics|record-outcome/ },
  { name: 'response piping, usage, frames', pattern: /pipe-response|usage-reader|src\/bedrock\/(usage|event-stream)/ },
  { name: 'undici (upstream client)', pattern: /undici/ },
  { name: 'forwarder, header policy', pattern: /src\/upstream\// },
  { name: 'fastify', pattern: /fastify|find-my-way|avvio|light-my-request|under-pressure|dual-protocol/ },
  { name: 'gateway handler (src/server)', pattern: /src\/server\// },
  { name: 'module loading (start-up)', pattern: /internal\/modules\/|tsx/ },
  { name: 'node crypto', pattern: /node:internal\/crypto|node:crypto/, weak: true },
  { name: 'node http', pattern: /_http_|node:internal\/http/, weak: true },
  { name: 'node streams and net', pattern: /node:internal\/streams|node:net|stream_base/, weak: true }
]
const UNMATCHED = 'other'

function partOf (frame: CallFrame): (typeof PARTS)[number] | undefined {
  return PARTS.find(({ pattern }) => pattern.test(frame.url) || pattern.test(frame.functionName))
}

const [file, requestsArgument] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: profile-summary.ts FILE.cpuprofile [REQUESTS]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const parents = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)

function chargedPart (leaf: number): string {
  let weak: string | undefined
  for (let id: number | undefined = leaf; id !== undefined; id = parents.get(id)) {
    const frame = nodes.get(id)?.callFrame
    const part = frame === undefined ? undefined : partOf(frame)
    if (part === undefined) continue
    if (part.weak !== true) return part.name
    weak ??= part.name
  }
  return weak ?? UNMATCHED
}

const microsByPart = new Map<string, number>()
profile.samples.forEach((sample, index) => {
  const part = chargedPart(sample)
  microsByPart.set(part, (microsByPart.get(part) ?? 0) + (profile.timeDeltas[index] ?? 0))
})
const idle = microsByPart.get('idle') ?? 0
const busy = [...microsByPart.values()].reduce((sum, micros) => sum + micros, 0) - idle
const requests = requestsArgument === undefined ? undefined : Number(requestsArgument)
console.log(`busy ${(busy / 1e3).toFixed(0)} ms, idle ${(idle / 1e3).toFixed(0)} ms`)
for (const [part, micros] of [...microsByPart].filter(([part]) => part !== 'idle').sort((a, b) => b[1] - a[1])) {
  const share = `${((micros / busy) * 100).toFixed(1)}%`.padStart(7)
  const perRequest = requests === undefined ? '' : `${(micros / requests).toFixed(1).padStart(8)} µs/request`
  console.log(`${share} ${perRequest}  ${part}`)
}
