import t from 'tap'
import type { Test } from 'tap'
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { loadConfig } from '../../src/config/load-config.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { watchConfig, type ConfigReloadOptions } from '../../src/server/config-reloader.ts'
import { createMetrics, type GeofenceMetrics } from '../../src/server/metrics.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'

const DEBOUNCE_MS = 30
/** Long enough for a watch event, the debounce and a load to have happened if they were going to. */
const SETTLE_MS = 400

const NARROWED_CONFIG = `
allow:
  regions: [eu-west-2]
  inferenceProfilePrefixes: []
`
const INVALID_CONFIG = `
allow:
  regions: [eu-west-2
`

interface Reloads {
  readonly applied: GeofenceConfig[]
  readonly errors: unknown[]
  readonly metrics: GeofenceMetrics
  loads: number
  /** Resolves at the next apply or error. */
  next (): Promise<void>
  reloadCount (result: 'success' | 'failure'): Promise<number>
}

function watch (t: Test, path: string, overrides: Partial<ConfigReloadOptions> = {}): Reloads {
  const waiting: Array<() => void> = []
  const wake = (): void => { waiting.splice(0).forEach((resolve) => resolve()) }
  const metrics = createMetrics({ configuredClients: () => new Set(), credentials: () => ({ ok: true }), inFlight: () => ({ size: 0, streams: 0, bidirectionalStreams: 0 }) })
  const reloads: Reloads = {
    applied: [],
    errors: [],
    metrics,
    loads: 0,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    async reloadCount (result) {
      const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'bedrock_geofence_config_reloads_total')
      return metric?.values.find((v) => v.labels.result === result)?.value ?? 0
    }
  }
  const stop = watchConfig(path, {
    load: async (file) => {
      reloads.loads++
      return loadConfig(file, {})
    },
    apply: (config) => { reloads.applied.push(config); wake() },
    onError: (error) => { reloads.errors.push(error); wake() },
    metrics,
    debounceMs: DEBOUNCE_MS,
    ...overrides
  })
  t.teardown(stop)
  keepEventLoopAlive(t)
  return reloads
}

/** The watch and the debounce timer never hold a process open (the server does that), so a test must. */
function keepEventLoopAlive (t: Test): void {
  const timer = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(timer))
}

t.test('a valid change to the file is applied without a restart', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path)
  const applied = reloads.next()
  writeFileSync(path, NARROWED_CONFIG)
  await applied
  t.same(reloads.applied.map((config) => config.allow.regions), [['eu-west-2']])
  t.equal(await reloads.reloadCount('success'), 1)
})

t.test('an invalid file is rejected: the error is reported, counted, and nothing is applied', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path)
  const rejected = reloads.next()
  writeFileSync(path, INVALID_CONFIG)
  await rejected
  t.equal(reloads.applied.length, 0, 'the old config keeps serving')
  t.equal(reloads.errors.length, 1)
  t.match(String(reloads.errors[0]), /geofence\.yaml/)
  t.equal(await reloads.reloadCount('failure'), 1)
})

t.test('after a rejected file, the next valid one is applied', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path)
  let settled = reloads.next()
  writeFileSync(path, INVALID_CONFIG)
  await settled
  settled = reloads.next()
  writeFileSync(path, NARROWED_CONFIG)
  await settled
  t.same(reloads.applied.map((config) => config.allow.regions), [['eu-west-2']])
})

t.test('an editor\'s save by renaming a new file over the old one is noticed', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path)
  const applied = reloads.next()
  writeFileSync(`${path}.swp`, NARROWED_CONFIG)
  renameSync(`${path}.swp`, path)
  await applied
  t.same(reloads.applied.map((config) => config.allow.regions), [['eu-west-2']])
})

t.test('a Kubernetes ConfigMap update (an atomic ..data symlink swap) is noticed', async (t) => {
  const mount = t.testdir({ '..2026_11_27_12_00_00.1': { 'geofence.yaml': MINIMAL_CONFIG } })
  symlinkSync('..2026_11_27_12_00_00.1', join(mount, '..data'))
  symlinkSync(join('..data', 'geofence.yaml'), join(mount, 'geofence.yaml'))
  const reloads = watch(t, join(mount, 'geofence.yaml'))
  const applied = reloads.next()
  mkdirSync(join(mount, '..2026_11_27_12_05_00.2'))
  writeFileSync(join(mount, '..2026_11_27_12_05_00.2', 'geofence.yaml'), NARROWED_CONFIG)
  symlinkSync('..2026_11_27_12_05_00.2', join(mount, '..data_tmp'))
  renameSync(join(mount, '..data_tmp'), join(mount, '..data'))
  await applied
  t.same(reloads.applied.map((config) => config.allow.regions), [['eu-west-2']])
})

t.test('a burst of writes is loaded once', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path, { debounceMs: 200 })
  const applied = reloads.next()
  for (let i = 0; i < 5; i++) writeFileSync(path, `${NARROWED_CONFIG}# edit ${i}\n`)
  await applied
  await sleep(SETTLE_MS)
  t.equal(reloads.loads, 1)
})

t.test('other files in the directory, and rewriting the same bytes, cause no reload', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path)
  writeFileSync(join(path, '..', 'notes.txt'), 'unrelated')
  writeFileSync(path, MINIMAL_CONFIG)
  await sleep(SETTLE_MS)
  t.equal(reloads.loads, 0)
  t.equal(await reloads.reloadCount('success') + await reloads.reloadCount('failure'), 0)
})

t.test('SIGHUP reloads even when the file is unchanged', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path)
  t.ok(process.listenerCount('SIGHUP') > 0, 'a SIGHUP handler is installed before the signal is sent')
  const applied = reloads.next()
  process.kill(process.pid, 'SIGHUP')
  await applied
  t.equal(reloads.applied.length, 1)
  t.same(reloads.applied[0], await loadConfig(path, {}), 'the same config, loaded and validated again')
})

t.test('reloads never overlap: requests during a slow load fold into one more run', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  let inFlight = 0
  let overlapped = false
  let firstLoadStarted: () => void = () => {}
  const loading = new Promise<void>((resolve) => { firstLoadStarted = resolve })
  const reloads = watch(t, path, {
    load: async (file) => {
      reloads.loads++
      firstLoadStarted()
      inFlight++
      overlapped ||= inFlight > 1
      await sleep(100)
      inFlight--
      return loadConfig(file, {})
    }
  })
  const first = reloads.next()
  process.kill(process.pid, 'SIGHUP')
  await loading
  process.kill(process.pid, 'SIGHUP')
  process.kill(process.pid, 'SIGHUP')
  await first
  await reloads.next()
  t.equal(reloads.loads, 2)
  t.equal(overlapped, false)
})

t.test('a config that fails to apply is reported and counted as a failure', async (t) => {
  const path = writeConfig(t, MINIMAL_CONFIG)
  const reloads = watch(t, path, { apply: () => { throw new Error('state swap refused') } })
  const rejected = reloads.next()
  writeFileSync(path, NARROWED_CONFIG)
  await rejected
  t.match(String(reloads.errors[0]), /state swap refused/)
  t.equal(await reloads.reloadCount('failure'), 1)
})

t.test('a deleted config directory is reported, and the process keeps running', async (t) => {
  const dir = t.testdir({ conf: { 'geofence.yaml': MINIMAL_CONFIG } })
  const reloads = watch(t, join(dir, 'conf', 'geofence.yaml'))
  const reported = reloads.next()
  renameSync(join(dir, 'conf'), join(dir, 'conf-gone'))
  await reported
  t.equal(reloads.applied.length, 0)
  t.ok(reloads.errors.length >= 1)
})

t.test('stop() removes the SIGHUP handler and the watch', async (t) => {
  const before = process.listenerCount('SIGHUP')
  const path = writeConfig(t, MINIMAL_CONFIG)
  let loads = 0
  const stop = watchConfig(path, { load: async (file) => { loads++; return loadConfig(file, {}) }, apply: () => {}, onError: () => {}, debounceMs: DEBOUNCE_MS })
  t.equal(process.listenerCount('SIGHUP'), before + 1)
  stop()
  t.equal(process.listenerCount('SIGHUP'), before)
  writeFileSync(path, NARROWED_CONFIG)
  await sleep(SETTLE_MS)
  t.equal(loads, 0)
})
