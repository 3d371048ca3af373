import type { GeofenceConfig } from '../config/index.ts'
import { findings, staleAcknowledgements } from '../policy/index.ts'
import type { CliIo } from './cli-io.ts'

/** An acknowledgement of nothing is harmless today but would silently accept the finding if it came back. */
export function warnStaleAcknowledgements (config: GeofenceConfig, io: CliIo): void {
  for (const { finding } of staleAcknowledgements(findings(config), config.acknowledge)) {
    io.stderr(`warning: acknowledge names ${JSON.stringify(finding)}, which is not a current finding\n`)
  }
}
