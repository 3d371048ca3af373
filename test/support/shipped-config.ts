import { loadConfig } from '../../src/config/load-config.ts'
import type { AllowList, GeofenceConfig } from '../../src/config/types.ts'

export const SHIPPED_CONFIG_PATH = new URL('../../config/geofence.yaml', import.meta.url).pathname

/** The shipped config/geofence.yaml as the gateway would load it. */
export function shippedConfig (): Promise<GeofenceConfig> {
  return loadConfig(SHIPPED_CONFIG_PATH, {})
}

/** The shipped config with part of its allowlist replaced. */
export async function shippedConfigWith (allow: Partial<AllowList>): Promise<GeofenceConfig> {
  const config = await shippedConfig()
  return { ...config, allow: { ...config.allow, ...allow } }
}
