import type { GeofenceConfig } from '../config/types.ts'

/** Placeholder until the gateway issue lands: the CLI's `serve` command imports this module on demand. */
export async function serve (_config: GeofenceConfig): Promise<void> {
  throw new Error('not implemented')
}
