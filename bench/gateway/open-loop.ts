import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

/** Requests due at the same timer tick go out together; the timer is the only wait, so the generator never spins a core. */
const FIRST_SEND_DELAY_MS = 5

/**
 * Open-loop load: request i is due at start + i x intervalMs whatever happened to the ones before, and is timed from
 * that moment (so a late timer or a slow answer counts against the path, never hides behind it). Unlike
 * autocannon's `-R`, nothing is sent in bursts. Resolves with every result once all `count` have finished.
 */
export async function openLoop<T> (count: number, intervalMs: number, send: (index: number, dueAt: number) => Promise<T>): Promise<T[]> {
  const start = performance.now() + FIRST_SEND_DELAY_MS
  const pending: Array<Promise<T>> = []
  while (pending.length < count) {
    const now = performance.now()
    while (pending.length < count && start + pending.length * intervalMs <= now) {
      pending.push(send(pending.length, start + pending.length * intervalMs))
    }
    if (pending.length < count) await sleep(Math.max(0, start + pending.length * intervalMs - performance.now()))
  }
  return await Promise.all(pending)
}
