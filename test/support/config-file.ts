import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'

/** The seed allowlist's required part; tests add the keys they are about. */
export const MINIMAL_CONFIG = `
allow:
  regions: [us-east-1, us-east-2, us-west-1, us-west-2, eu-west-2]
  inferenceProfilePrefixes: [us]
`

/** Writes `yaml` as geofence.yaml (plus any side files, e.g. secrets) in a fresh test directory; returns its path. */
export function writeConfig (t: Test, yaml: string, sideFiles: Record<string, string> = {}): string {
  const dir = t.testdir(sideFiles)
  const path = join(dir, 'geofence.yaml')
  writeFileSync(path, yaml)
  return path
}
