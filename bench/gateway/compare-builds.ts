/**
 * bench/gateway/compare-builds: the gateway as this checkout builds it against the gateway at another git ref, side
 * by side in one run in front of the same upstream, with the bare pass-through as the floor. One change is measured
 * this way: on a shared machine one run's absolute figures do not hold from run to run, but two builds taking turns
 * in the same run meet the same load.
 *   node --import tsx bench/gateway/compare-builds.ts REF [ROUNDS]
 * The other build is compiled from a temporary git worktree of REF, with this checkout's node_modules. Writes
 * bench/results/compare.json (BENCH_COMPARE_RESULT_FILE=PATH writes there instead).
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { spawnGateway } from './bench-processes.ts'
import { compileBenchChildren, compiledChild, PROJECT_ROOT } from './compile-children.ts'
import { barePassThroughTarget, signedGatewayTarget } from './load-target.ts'
import { backgroundLoadMeter, machineInfo } from './machine.ts'
import { spawnMeasured, type MeasuredProcess } from './measured-process.ts'
import { median, range } from './percentiles.ts'
import { failedNotes, saturationRows } from './report.ts'
import { saturation, type SaturationResult } from './saturation.ts'

const DEFAULT_ROUNDS = 7
const SETTINGS = { connections: 50, warmUpRequests: 15_000, seconds: 3 } as const
const DEFAULT_RESULT_FILE = fileURLToPath(new URL('../results/compare.json', import.meta.url))
const RESULT_FILE_ENV = 'BENCH_COMPARE_RESULT_FILE'

const git = async (...args: string[]): Promise<string> =>
  (await promisify(execFile)('git', args, { cwd: fileURLToPath(PROJECT_ROOT) })).stdout.trim()

const [ref, roundsArgument] = process.argv.slice(2)
if (ref === undefined) {
  console.error('usage: node --import tsx bench/gateway/compare-builds.ts REF [ROUNDS]')
  process.exit(2)
}
const rounds = roundsArgument === undefined ? DEFAULT_ROUNDS : Number(roundsArgument)
const commit = await git('rev-parse', '--verify', `${ref}^{commit}`)
const head = await git('rev-parse', 'HEAD')
const dirtyTree = (await git('status', '--porcelain', '--untracked-files=no')) !== ''

const workDir = await mkdtemp(join(tmpdir(), 'bench-compare-'))
const baselineDir = join(workDir, 'baseline')
const started: MeasuredProcess[] = []
try {
  await git('worktree', 'add', '--detach', baselineDir, commit)
  await symlink(fileURLToPath(new URL('node_modules', PROJECT_ROOT)), join(baselineDir, 'node_modules'), 'dir')
  process.stderr.write(`compare: compiling this checkout and ${ref} (${commit.slice(0, 12)})\n`)
  const baselineCheckout = pathToFileURL(`${baselineDir}/`)
  await Promise.all([compileBenchChildren(), compileBenchChildren(baselineCheckout)])

  const upstream = await spawnMeasured({ name: 'upstream', script: compiledChild('upstream-process') })
  started.push(upstream)
  const bare = await spawnMeasured({ name: 'bare pass-through', script: compiledChild('bare-pass-through-process'), args: [upstream.url] })
  started.push(bare)
  const baseline = await spawnGateway({
    name: `gateway at ${ref}`, upstream, configDir: workDir, withClient: true, script: compiledChild('gateway-process', baselineCheckout)
  })
  started.push(baseline)
  const current = await spawnGateway({ name: 'gateway, this checkout', upstream, configDir: workDir, withClient: true })
  started.push(current)

  const background = backgroundLoadMeter()
  const cpuAtStart = await Promise.all(started.map((child) => child.stats()))
  const ownCpuAtStart = process.cpuUsage()
  process.stderr.write(`compare: saturation, ${rounds} rounds of ${SETTINGS.seconds} s taken in turns\n`)
  const results = await saturation({
    barePassThrough: { target: barePassThroughTarget(bare.url), proxy: bare },
    baseline: { target: { ...signedGatewayTarget(baseline.url), name: baseline.name }, proxy: baseline },
    current: { target: { ...signedGatewayTarget(current.url), name: current.name }, proxy: current }
  }, upstream, { ...SETTINGS, rounds })
  const cpuAtEnd = await Promise.all(started.map((child) => child.stats()))
  const ownCpu = process.cpuUsage(ownCpuAtStart)
  const childCpuMicros = cpuAtEnd.reduce((sum, stats, index) => sum + stats.cpuMicros - (cpuAtStart[index]?.cpuMicros ?? NaN), 0)
  const backgroundLoadCores = background.stop((ownCpu.user + ownCpu.system + childCpuMicros) / 1e6)

  // Rounds with the same index ran one right after the other, so their ratio is the pairing least moved by the load.
  const cpuRatioByRound = results.current.rounds.map((run, index) =>
    Math.round((run.proxyCpuMicrosPerRequest / (results.baseline.rounds[index]?.proxyCpuMicrosPerRequest ?? NaN)) * 1000) / 1000)
  const report = {
    benchmark: 'compare-builds: CPU per request at saturation (2 KB Converse, SigV4 caller), this checkout against another build',
    date: new Date().toISOString(),
    machine: machineInfo(),
    backgroundLoadCores,
    baseline: { ref, commit },
    current: { commit: head, uncommittedChanges: dirtyTree },
    settings: { ...SETTINGS, rounds },
    saturation: results,
    cpuCurrentToBaseline: { medianOfRounds: median(cpuRatioByRound), range: range(cpuRatioByRound), byRound: cpuRatioByRound },
    failedRequests: Object.values(results).reduce((sum, result) => sum + result.failed, 0)
  }
  print(report.saturation, report.cpuCurrentToBaseline, backgroundLoadCores)
  const resultFile = process.env[RESULT_FILE_ENV] ?? DEFAULT_RESULT_FILE
  await mkdir(dirname(resultFile), { recursive: true })
  await writeFile(resultFile, JSON.stringify(report, null, 2) + '\n')
  console.log(`written to ${resultFile}`)
} finally {
  await Promise.all(started.map((child) => child.stop()))
  await git('worktree', 'remove', '--force', baselineDir).catch(() => undefined)
  await rm(workDir, { recursive: true, force: true })
}

function print (paths: Readonly<Record<string, SaturationResult>>, ratio: { medianOfRounds: number, range: readonly [number, number], byRound: readonly number[] },
  backgroundLoadCores: number): void {
  const results = Object.values(paths)
  console.log([
    `\ncompare-builds: other work on the machine during the run: ${backgroundLoadCores} cores on average`,
    ...saturationRows(results),
    `  this checkout / baseline, CPU per request, round by round: ${ratio.byRound.join(', ')}; median ${ratio.medianOfRounds}` +
      ` (${ratio.range[0]}-${ratio.range[1]})`,
    ...failedNotes(results)
  ].join('\n'))
}
