/**
 * `npm run bench`: every bench, one after another (never side by side: they share the machine's cores), each in its
 * own process. Then bench/results/latest.json gathers what each wrote, with the machine it ran on.
 *   npm run bench                 all of them
 *   npm run bench -- gateway      only the named ones (engine, auth, gateway, bidi)
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'

interface Bench {
  readonly script: string
  readonly resultFile: string
  /** Settings for a run of every bench; an environment variable of the same name set by the caller wins. */
  readonly env?: Readonly<Record<string, string>>
}

const BENCHES: Readonly<Record<string, Bench>> = {
  engine: { script: 'engine.ts', resultFile: 'results/engine.json' },
  // A quarter of auth.ts's own default iterations: its figure settles well before that, and the whole run stays
  // within a few minutes on a 2-core machine.
  auth: { script: 'auth.ts', resultFile: 'results/auth.json', env: { BENCH_AUTH_ITERATIONS: '50000' } },
  gateway: { script: 'gateway/main.ts', resultFile: 'results/gateway.json' },
  bidi: { script: 'bidirectional.ts', resultFile: 'results/bidi.json' }
}
const LATEST_FILE = new URL('./results/latest.json', import.meta.url)

const requested = process.argv.slice(2)
const unknown = requested.filter((name) => !(name in BENCHES))
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`)
  process.exit(2)
}
const names = requested.length > 0 ? requested : Object.keys(BENCHES)

async function runBench (bench: Bench): Promise<{ exitCode: number, seconds: number, result?: unknown }> {
  const startedAt = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(bench.script, import.meta.url).pathname], {
    stdio: 'inherit',
    env: { ...bench.env, ...process.env }
  })
  const [code] = await once(child, 'exit') as [number | null]
  const seconds = Math.round((performance.now() - startedAt) / 100) / 10
  const exitCode = code ?? 1
  if (exitCode !== 0) return { exitCode, seconds }
  return { exitCode, seconds, result: JSON.parse(await readFile(new URL(bench.resultFile, import.meta.url), 'utf8')) }
}

const results: Record<string, Awaited<ReturnType<typeof runBench>>> = {}
for (const name of names) {
  const bench = BENCHES[name]
  if (bench === undefined) continue
  console.log(`\n=== bench: ${name} (${bench.script})`)
  results[name] = await runBench(bench)
}

await writeFile(LATEST_FILE, JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemoryMB: Math.round(totalmem() / 1e6), node: process.version, platform: `${process.platform} ${process.arch}` },
  benches: results
}, null, 2) + '\n')
console.log(`\n${Object.entries(results).map(([name, { exitCode, seconds }]) => `${name}: ${exitCode === 0 ? 'ok' : `failed (exit ${exitCode})`} in ${seconds} s`).join(', ')}`)
console.log(`written to ${LATEST_FILE.pathname}`)
if (Object.values(results).some(({ exitCode }) => exitCode !== 0)) process.exitCode = 1
