import type { RawConfig } from './schema.ts'
import type { EnforcementConfig, GeofenceConfig } from './types.ts'

/** The longest monitor mode may be set for: long enough to watch a rollout, short enough that nobody forgets it. */
export const MAX_MONITOR_DAYS = 90
const MS_PER_DAY = 86_400_000

/** When monitor mode ends for this setting, in epoch milliseconds; undefined when it enforces. */
export function monitorEndMs (setting: EnforcementConfig | undefined): number | undefined {
  return setting?.mode === 'monitor' && setting.until !== undefined ? Date.parse(setting.until) : undefined
}

function settingProblems (where: string, setting: EnforcementConfig | undefined, nowMs: number): string[] {
  if (setting === undefined) return []
  if (setting.mode === 'enforce') {
    return setting.until === undefined ? [] : [`${where}.until: only monitor mode ends; remove it, or set mode: monitor`]
  }
  if (setting.until === undefined) {
    return [`${where}.until: monitor mode needs an end, an instant in UTC at most ${MAX_MONITOR_DAYS} days ahead (such as 2027-01-15T00:00:00Z)`]
  }
  const endMs = Date.parse(setting.until)
  if (Number.isNaN(endMs)) return [`${where}.until: ${JSON.stringify(setting.until)} is not a date`]
  if (endMs - nowMs > MAX_MONITOR_DAYS * MS_PER_DAY) {
    return [`${where}.until: ${setting.until} is more than ${MAX_MONITOR_DAYS} days ahead; monitor mode is for a rollout, not for good`]
  }
  return []
}

/**
 * Monitor mode must end, and soon: it needs `until`, no further than MAX_MONITOR_DAYS from when the config is
 * loaded. An `until` already past is no problem: the gateway simply enforces.
 */
export function enforcementProblems (config: RawConfig, nowMs: number): string[] {
  return [
    ...settingProblems('enforcement', config.enforcement, nowMs),
    ...config.clients.flatMap((client, index) => settingProblems(`clients[${index}].enforcement`, client.enforcement, nowMs))
  ]
}

/** One caller (or every caller, for the global setting) whose allowlist refusals are reported, not enforced. */
export interface MonitorWindow {
  /** A client name, or GLOBAL_WINDOW for the global setting. */
  readonly subject: string
  readonly endMs: number
}

/** The subject of the global setting in announcements; no client can be named so (client names start alphanumeric). */
export const GLOBAL_WINDOW = '*'

/** The monitor windows still open at `nowMs`, global first: what startup, readiness and the metrics announce. */
export function openMonitorWindows (config: GeofenceConfig, nowMs: number): MonitorWindow[] {
  const windows: MonitorWindow[] = []
  const globalEnd = monitorEndMs(config.enforcement)
  if (globalEnd !== undefined && nowMs < globalEnd) windows.push({ subject: GLOBAL_WINDOW, endMs: globalEnd })
  for (const client of config.clients) {
    const end = monitorEndMs(client.enforcement)
    if (end !== undefined && nowMs < end) windows.push({ subject: client.name, endMs: end })
  }
  return windows
}
