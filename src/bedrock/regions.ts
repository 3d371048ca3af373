import { QUERY_START, URL_PATH_SEPARATOR } from '../core/index.ts'

/**
 * The shape of an AWS region name (`eu-west-2`, `us-gov-west-1`, `us-isob-east-1`, and the European Sovereign Cloud's
 * `eusc-de-east-1`). A syntax check only: whether a region is allowed is the allowlist's business, never this pattern's.
 */
const AWS_REGION_NAME = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d$/

export function isRegionName (text: string): boolean {
  return AWS_REGION_NAME.test(text)
}

/**
 * Bearer clients have no SigV4 scope to name a region, so they put it in front of the Bedrock path
 * (`/eu-west-2/model/.../converse`). Strips one leading segment that is syntactically a region name; anything else
 * (including an encoded region) is left alone and later fails to match an operation.
 */
export function splitRegionPrefix (target: string): { region?: string; target: string } {
  if (!target.startsWith(URL_PATH_SEPARATOR)) return { target }
  const segmentEnd = firstIndexOf(target, 1, URL_PATH_SEPARATOR, QUERY_START)
  const segment = target.slice(1, segmentEnd)
  if (!isRegionName(segment)) return { target }
  const rest = target.slice(segmentEnd)
  return { region: segment, target: rest.startsWith(URL_PATH_SEPARATOR) ? rest : URL_PATH_SEPARATOR + rest }
}

function firstIndexOf (text: string, from: number, ...needles: string[]): number {
  let end = text.length
  for (const needle of needles) {
    const at = text.indexOf(needle, from)
    if (at !== -1 && at < end) end = at
  }
  return end
}
