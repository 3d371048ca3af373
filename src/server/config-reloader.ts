import { readFileSync, watch, type FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { sha256Hex } from '../sigv4/index.ts'
import type { GeofenceConfig } from '../config/index.ts'
import type { ConfigReloadResult } from './metrics.ts'

export const RELOAD_SIGNAL = 'SIGHUP'
export const DEFAULT_RELOAD_DEBOUNCE_MS = 250

export interface ConfigReloadOptions {
  /** Reads and validates the file; a rejection keeps the config in force. */
  readonly load: (path: string) => Promise<GeofenceConfig>
  /** Swaps the new config in for requests that start from now on. */
  readonly apply: (config: GeofenceConfig) => void
  readonly onError: (error: unknown) => void
  readonly metrics?: { recordConfigReload (result: ConfigReloadResult): void }
  /** Editors and Kubernetes change a file in several steps; wait this long after the last one. */
  readonly debounceMs?: number
}

export type StopWatching = () => void

/** Undefined while the file is unreadable (mid-replace, or deleted): load() will say why if it still is when tried. */
async function fingerprint (path: string): Promise<string | undefined> {
  return readFile(path).then(sha256Hex, () => undefined)
}

function initialFingerprint (path: string): string | undefined {
  try {
    return sha256Hex(readFileSync(path))
  } catch {
    return undefined
  }
}

/**
 * Reloads the config on SIGHUP and whenever its file changes. The directory is watched, not the file: editors replace
 * a file by renaming a new one over it, and a Kubernetes ConfigMap swaps a `..data` symlink, and either way a watch
 * on the old file goes silent. Any directory event triggers a debounced check; the file is reloaded only when its
 * bytes differ from the last attempt, so unrelated files and editor swap files cost nothing. SIGHUP always reloads.
 *
 * The first attempt's baseline is the file as it is when watching starts, assumed to be what the caller loaded.
 * Nothing here throws into the event loop: a bad file, a vanished directory or a failing callback is reported
 * through onError and the config in force keeps serving.
 */
export function watchConfig (path: string, options: ConfigReloadOptions): StopWatching {
  const debounceMs = options.debounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS
  let stopped = false
  let running = false
  let pendingForce: boolean | undefined
  let lastAttempted = initialFingerprint(path)
  let timer: NodeJS.Timeout | undefined
  let watcher: FSWatcher | undefined

  const report = (error: unknown): void => {
    try {
      options.onError(error)
    } catch {
      // The error reporter failing must not take the process down with it.
    }
  }

  const record = (result: ConfigReloadResult): void => {
    try {
      options.metrics?.recordConfigReload(result)
    } catch (error) {
      report(error)
    }
  }

  const attempt = async (force: boolean): Promise<void> => {
    const current = await fingerprint(path)
    if (!force && current !== undefined && current === lastAttempted) return
    lastAttempted = current
    let config: GeofenceConfig
    try {
      config = await options.load(path)
      if (stopped) return
      options.apply(config)
    } catch (error) {
      if (stopped) return
      record('failure')
      report(error)
      return
    }
    record('success')
  }

  // One reload at a time; requests that arrive meanwhile fold into one more run (forced if any of them was).
  const reload = async (force: boolean): Promise<void> => {
    if (running) {
      pendingForce = (pendingForce ?? false) || force
      return
    }
    running = true
    try {
      let next: boolean | undefined = force
      // eslint-disable-next-line no-unmodified-loop-condition -- stop() sets `stopped` while attempt() is awaited
      while (next !== undefined && !stopped) {
        pendingForce = undefined
        await attempt(next)
        next = pendingForce
      }
    } finally {
      running = false
    }
  }

  const onSignal = (): void => { void reload(true) }

  const onDirectoryEvent = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => { void reload(false) }, debounceMs)
    timer.unref()
  }

  process.on(RELOAD_SIGNAL, onSignal)
  try {
    watcher = watch(dirname(path), { persistent: false }, onDirectoryEvent)
    watcher.on('error', report)
  } catch (error) {
    // SIGHUP still works without a watch (e.g. the directory does not exist yet).
    report(error)
  }

  return () => {
    stopped = true
    clearTimeout(timer)
    watcher?.close()
    process.removeListener(RELOAD_SIGNAL, onSignal)
  }
}
