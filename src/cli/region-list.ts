import { ANY_REGION } from '../policy/index.ts'

const ANY_REGION_NAME = 'any region'
const SHOWN_REGION_SEPARATOR = ', '

/** Regions for a person to read, e.g. `us-east-1, any region`: AWS's `*` destination spelled out. */
export function regionList (regions: readonly string[]): string {
  return regions.map((region) => region === ANY_REGION ? ANY_REGION_NAME : region).join(SHOWN_REGION_SEPARATOR)
}
