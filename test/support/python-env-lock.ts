import { randomUUID } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const OWNER_FILE = 'owner-pid'
const POLL_INTERVAL_MS = 500
const CLAIM_INFIX = '.claim-'
const ABANDONED_INFIX = '.abandoned-by-'
// rename(2) onto an existing directory that is not empty fails with one of these: the lock is held.
const HELD_CODES = new Set(['ENOTEMPTY', 'EEXIST'])

function errorCode (error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errorCode(error) === 'EPERM'
  }
}

async function readOwner (lockDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(join(lockDir, OWNER_FILE), 'utf8'), 10)
    return Number.isSafeInteger(pid) ? pid : undefined
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

// The lock directory appears already holding its owner's pid (built aside, then renamed into place), so a waiter
// never sees a lock without an owner, and a rename onto a held lock fails because the directory is not empty.
async function tryAcquire (lockDir: string): Promise<boolean> {
  const claim = `${lockDir}${CLAIM_INFIX}${randomUUID()}`
  await mkdir(claim)
  await writeFile(join(claim, OWNER_FILE), String(process.pid))
  try {
    await rename(claim, lockDir)
    return true
  } catch (error) {
    await rm(claim, { recursive: true, force: true })
    if (HELD_CODES.has(errorCode(error) ?? '')) return false
    throw error
  }
}

// A lock whose owner died (test run interrupted mid-build) is moved to a tombstone named after that owner. The
// tombstone stays until the next holder releases, so a second waiter that saw the same dead owner cannot move the
// new holder's lock aside: its rename meets the non-empty tombstone and fails.
async function setAsideIfAbandoned (lockDir: string): Promise<void> {
  const owner = await readOwner(lockDir)
  if (owner === undefined || isRunning(owner)) return
  try {
    await rename(lockDir, `${lockDir}${ABANDONED_INFIX}${owner}`)
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || HELD_CODES.has(errorCode(error) ?? '')) return
    throw error
  }
}

async function release (lockDir: string): Promise<void> {
  const prefix = `${basename(lockDir)}${ABANDONED_INFIX}`
  const tombstones = (await readdir(dirname(lockDir))).filter((name) => name.startsWith(prefix))
  await Promise.all(tombstones.map((name) => rm(join(dirname(lockDir), name), { recursive: true, force: true })))
  await rm(lockDir, { recursive: true, force: true })
}

/**
 * Runs `work` while holding a lock directory shared by every process on this machine (tap runs test files in
 * parallel processes). Waits for a live holder, takes over from a dead one, gives up after `maxWaitMs`.
 */
export async function withExclusiveLock<T> (lockDir: string, maxWaitMs: number, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lockDir), { recursive: true })
  const deadline = Date.now() + maxWaitMs
  while (!(await tryAcquire(lockDir))) {
    if (Date.now() > deadline) {
      throw new Error(`Waited ${maxWaitMs} ms for ${lockDir}; if no test run is using it, delete it and retry.`)
    }
    await setAsideIfAbandoned(lockDir)
    await sleep(POLL_INTERVAL_MS)
  }
  try {
    return await work()
  } finally {
    await release(lockDir)
  }
}
