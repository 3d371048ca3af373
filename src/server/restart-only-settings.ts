import { isDeepStrictEqual } from 'node:util'
import type { GeofenceConfig } from '../config/index.ts'

/**
 * Settings that are fixed when the process starts: the listeners (and their TLS), the gateway's own AWS identity,
 * the log format, and what the Bedrock listener was built with. A reload that changes one of them is refused as a
 * whole rather than half applied: a config that moved `listen.host` to loopback and dropped every client would
 * otherwise leave a public listener open to anyone.
 */
const RESTART_ONLY_SETTINGS: ReadonlyArray<readonly [string, (config: GeofenceConfig) => unknown]> = [
  ['listen', (config) => config.listen],
  ['admin', (config) => config.admin],
  ['aws', (config) => config.aws],
  ['log.pretty', (config) => config.log.pretty],
  ['limits.maxBodyBytes', (config) => config.limits.maxBodyBytes],
  ['limits.requestTimeoutMs', (config) => config.limits.requestTimeoutMs],
  ['limits.maxEventLoopDelayMs', (config) => config.limits.maxEventLoopDelayMs]
]

/** The restart-only settings `next` changes, by their config path; empty when it can be applied live. */
export function restartOnlyChanges (current: GeofenceConfig, next: GeofenceConfig): string[] {
  return RESTART_ONLY_SETTINGS
    .filter(([, read]) => !isDeepStrictEqual(read(current), read(next)))
    .map(([path]) => path)
}

export class RestartRequiredError extends Error {
  readonly settings: readonly string[]

  constructor (settings: readonly string[]) {
    super(`the new config changes ${settings.join(', ')}, which only take effect when the process restarts; ` +
      'restart it to apply the whole file')
    this.name = 'RestartRequiredError'
    this.settings = settings
  }
}
