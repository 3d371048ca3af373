import { BedrockError } from '../core/index.ts'

export interface UpstreamOrigin {
  /** `https://bedrock-runtime.eu-west-2.amazonaws.com`: what the connection pool is keyed by. */
  readonly origin: string
  readonly protocol: string
  readonly hostname: string
  readonly port?: number
  /** The `host` header value, port included only when it is not the scheme's default. */
  readonly host: string
}

const REGION_PLACEHOLDER = '{region}'
/** Checked again here although the region is allowlisted: it is the only input that ever reaches the host name. */
const REGION_LABEL = /^[a-z0-9-]+$/
const UPSTREAM_PROTOCOLS: ReadonlySet<string> = new Set(['https:', 'http:'])
const ROOT_PATH = '/'
const TEMPLATE_CHECK_REGION = 'us-east-1'
/** More than there are AWS regions: the bound only matters if something other than the allowlist ever fed the resolver. */
const MAX_CACHED_ORIGINS = 64

function parseOrigin (endpoint: string): URL {
  const url = new URL(endpoint)
  if (!UPSTREAM_PROTOCOLS.has(url.protocol)) throw new Error(`upstream.endpoint must be an http or https URL, not ${url.protocol}`)
  if (url.pathname !== ROOT_PATH || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new Error('upstream.endpoint must be an origin only: no path, query, fragment or user info')
  }
  return url
}

/**
 * Turns `upstream.endpoint` (`https://bedrock-runtime.{region}.amazonaws.com`) into the origin for one region.
 * The template is checked once, here; a template without `{region}` (a VPC endpoint for one region, a test
 * server) sends every region to the same host.
 */
export function createOriginResolver (endpointTemplate: string): (region: string) => UpstreamOrigin {
  parseOrigin(endpointTemplate.replaceAll(REGION_PLACEHOLDER, TEMPLATE_CHECK_REGION))
  // Parsed once per region: only allowlisted regions get here, so the cache holds a few entries.
  const origins = new Map<string, UpstreamOrigin>()
  return (region) => {
    const cached = origins.get(region)
    if (cached !== undefined) return cached
    if (!REGION_LABEL.test(region)) throw new BedrockError('ValidationException', 'The requested region is not a valid AWS region name.')
    const url = parseOrigin(endpointTemplate.replaceAll(REGION_PLACEHOLDER, region))
    const origin = {
      origin: url.origin,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      host: url.host
    }
    if (origins.size < MAX_CACHED_ORIGINS) origins.set(region, origin)
    return origin
  }
}
