import type { Logger } from 'pino'
import type { GeofenceConfig } from '../config/index.ts'
import { resolutionIsOn } from '../policy/index.ts'
import { ControlPlaneError, type ControlPlaneClient } from '../routing/index.ts'

/**
 * The identifier the probe asks about. No profile has it, so a control plane that is reachable and lets the gateway's
 * role read profiles answers ResourceNotFoundException; nothing is created and nothing is cached.
 */
export const PROBE_PROFILE_ID = 'bedrock-geofence-startup-probe'

const NOT_FOUND_TYPE = 'ResourceNotFoundException'
const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'])
const REFUSED_CODE = 'ECONNREFUSED'
const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/
const ENDPOINT_SETTING = 'upstream.controlPlaneEndpoint'

/** What goes wrong for requests while the control plane cannot be asked; readiness stays as it is, as documented. */
const CONSEQUENCE = 'Until it is fixed, requests that need a routing lookup (application inference profiles, prompt ' +
  'routers, and system profiles under routing.verify: live) are refused with ROUTING_UNVERIFIED; every other request ' +
  'is served, and /readyz does not depend on it'

/** The cause in plain words, and what to do about it. */
function causeAndFix (error: ControlPlaneError, config: GeofenceConfig): { readonly cause: string, readonly fix: string } {
  const { code } = error
  switch (error.kind) {
    case 'access-denied':
      return {
        cause: 'AWS refused the gateway\'s role (403 AccessDeniedException)',
        fix: 'give the gateway\'s role bedrock:GetInferenceProfile and bedrock:GetPromptRouter in the allowed regions: ' +
          '`npx bedrock-geofence policy --for gateway` prints the role policy that has them'
      }
    case 'timeout':
      return {
        cause: `no answer within routing.lookupTimeoutMs (${config.routing.lookupTimeoutMs} ms)`,
        fix: `check that this host may reach ${ENDPOINT_SETTING} (a firewall that drops packets looks like this), or raise routing.lookupTimeoutMs`
      }
    case 'unreachable':
      if (code !== undefined && DNS_CODES.has(code)) {
        return { cause: `the endpoint's host name does not resolve (DNS, ${code})`, fix: `check the host in ${ENDPOINT_SETTING} and the DNS this host uses (a VPC endpoint needs its private DNS)` }
      }
      if (code === REFUSED_CODE) {
        return { cause: `the connection was refused (${code}): nothing listens at that host and port`, fix: `check the host and port in ${ENDPOINT_SETTING}, and any proxy or egress rule in between` }
      }
      if (code !== undefined && TLS_CODE.test(code)) {
        return {
          cause: `the TLS handshake failed (${code}): the certificate is not trusted or does not match the host`,
          fix: `check the host in ${ENDPOINT_SETTING}; behind a proxy that re-signs TLS, give Node its CA with NODE_EXTRA_CA_CERTS`
        }
      }
      return { cause: `the connection failed${code === undefined ? '' : ` (${code})`}`, fix: `check that this host may reach ${ENDPOINT_SETTING}: routes, egress rules, proxy` }
    case 'not-found':
    case 'malformed-answer':
      return { cause: `the endpoint does not answer as the Bedrock control plane does (${error.message})`, fix: `check that ${ENDPOINT_SETTING} names bedrock.{region}, not bedrock-runtime or a proxy's page` }
    case 'throttled':
    case 'service-error':
      return { cause: error.message, fix: 'this is usually passing: each lookup asks again; if it persists, check the AWS Health Dashboard for Bedrock' }
    default:
      return { cause: error.message, fix: 'check the gateway\'s AWS credentials and the config\'s routing settings' }
  }
}

/**
 * Asks the control plane once, in the first allowed region, about a profile that does not exist: ResourceNotFound (or
 * another refusal of the request itself, such as ValidationException) means it was reached and the gateway may read
 * profiles there; a 404 of another type means the endpoint is some other service. Resolves with the failure, or
 * undefined when fine.
 */
export async function probeControlPlane (client: ControlPlaneClient, region: string): Promise<ControlPlaneError | undefined> {
  try {
    await client.getInferenceProfile(region, PROBE_PROFILE_ID)
    return undefined
  } catch (error) {
    if (error instanceof ControlPlaneError && (error.kind === 'rejected' || (error.kind === 'not-found' && error.code === NOT_FOUND_TYPE))) return undefined
    // The client rejects with ControlPlaneErrors only; anything else is a bug that must not pass for a success.
    if (!(error instanceof ControlPlaneError)) throw error
    return error
  }
}

/**
 * At startup, when the config needs the control plane, probes it once and logs one error line, with the cause and
 * the fix, if it cannot be used. Never rejects: it runs in the background and only reports.
 */
export async function checkControlPlaneAtStartup (client: ControlPlaneClient, config: GeofenceConfig, logger: Logger): Promise<void> {
  if (!resolutionIsOn(config)) return
  const region = config.allow.regions[0]
  if (region === undefined) return
  try {
    const failure = await probeControlPlane(client, region)
    if (failure === undefined) return
    const { cause, fix } = causeAndFix(failure, config)
    logger.error({ region, failure: failure.kind, detail: failure.message },
      `the Bedrock control plane cannot be used: ${cause}. Fix: ${fix}. ${CONSEQUENCE}`)
  } catch (error) {
    logger.error({ err: error, region }, 'the startup check of the Bedrock control plane failed unexpectedly')
  }
}
