import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { withExclusiveLock } from '../support/python-env-lock.ts'

const LOCK_MODULE = new URL('../support/python-env-lock.ts', import.meta.url).href
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const GENEROUS_WAIT_MS = 60_000
const SHORT_WAIT_MS = 1_000
const CONTENDERS = 8

function lockDirIn (t: Test): string {
  return join(t.testdir(), 'venv.lock')
}

t.test('callers contending for the lock hold it one at a time', async (t) => {
  const lockDir = lockDirIn(t)
  const events: string[] = []
  await Promise.all(Array.from({ length: CONTENDERS }, async (_, id) =>
    withExclusiveLock(lockDir, GENEROUS_WAIT_MS, async () => {
      events.push(`enter ${id}`)
      await sleep(20)
      events.push(`leave ${id}`)
    })))
  t.equal(events.length, 2 * CONTENDERS)
  for (let i = 0; i < events.length; i += 2) t.equal(events[i + 1], events[i]?.replace('enter', 'leave'))
})

t.test('a lock left behind by a process that died holding it is taken over', async (t) => {
  const lockDir = lockDirIn(t)
  const abandon = `import { withExclusiveLock } from '${LOCK_MODULE}'
await withExclusiveLock(${JSON.stringify(lockDir)}, 1000, async () => process.exit(0))`
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', abandon],
    { cwd: REPO_ROOT, encoding: 'utf8' })
  t.equal(child.status, 0, child.stderr)
  t.ok(existsSync(lockDir), 'the dead process left its lock')

  const result = await withExclusiveLock(lockDir, GENEROUS_WAIT_MS, async () => 'ran')
  t.equal(result, 'ran')
  t.same(readdirSync(join(lockDir, '..')), [], 'neither the lock nor the set-aside copy remains')
})

t.test('a caller gives up after its wait limit while a live process holds the lock', async (t) => {
  const lockDir = lockDirIn(t)
  await withExclusiveLock(lockDir, GENEROUS_WAIT_MS, async () => {
    await t.rejects(withExclusiveLock(lockDir, SHORT_WAIT_MS, async () => 'ran'), /Waited 1000 ms/)
  })
})

t.test('the lock is released when the work fails', async (t) => {
  const lockDir = lockDirIn(t)
  await t.rejects(withExclusiveLock(lockDir, GENEROUS_WAIT_MS, async () => {
    throw new Error('pip failed')
  }), /pip failed/)
  t.equal(await withExclusiveLock(lockDir, 0, async () => 'ran'), 'ran')
})
