import { ALLOWLIST_REASONS, type Decision } from '../core/index.ts'
import { type GeofenceConfig, monitorEndMs } from '../config/index.ts'

/**
 * When monitor mode ends for each caller, by client name, in epoch ms; callers without an entry are enforced. A
 * client's own setting wins over the global one, either way. `anonymousCaller` is the name a config without clients
 * serves every caller under.
 */
export function monitorEnds (config: GeofenceConfig, anonymousCaller: string): ReadonlyMap<string, number> {
  const globalEnd = monitorEndMs(config.enforcement)
  const ends = new Map<string, number>()
  if (config.clients.length === 0 && globalEnd !== undefined) ends.set(anonymousCaller, globalEnd)
  for (const client of config.clients) {
    const end = client.enforcement === undefined ? globalEnd : monitorEndMs(client.enforcement)
    if (end !== undefined) ends.set(client.name, end)
  }
  return ends
}

/**
 * True when a refused request is to be forwarded anyway: its caller is in monitor mode until after `nowMs`, and the
 * refusal is the allowlist's. Malformed, unknown and unsupported requests are never forwarded.
 */
export function reportsOnly (decision: Decision, endMs: number | undefined, nowMs: number): boolean {
  return !decision.allowed && endMs !== undefined && nowMs < endMs && ALLOWLIST_REASONS.has(decision.reason)
}
