import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import { BedrockError } from '../core/index.ts'
import type { AwsCredentialsConfig } from '../config/index.ts'

export interface CredentialStatus {
  /** True while the gateway holds credentials it may sign with. */
  readonly ok: boolean
  readonly expiresAt?: Date
  /** Why the last fetch failed; cleared by the next success. For the admin port, never for callers. */
  readonly error?: string
}

export interface CredentialSource {
  /** Cached credentials; waits (sharing one fetch) only when none are valid. Rejects with a 503 BedrockError when none can be had. */
  get (): Promise<AwsCredentialIdentity>
  status (): CredentialStatus
  /** Fetches once if needed and keeps refreshing in the background, on an unref'd timer. Never rejects. */
  start (): Promise<void>
  stop (): void
}

/** Credentials this close to expiry are never signed with: the request must still be valid when AWS reads it. */
const SIGNING_MARGIN_MS = 1_000
/** Floor for any refresh delay, so credentials that live very briefly cannot start a refresh loop. */
const MIN_REFRESH_DELAY_MS = 1_000
const FIRST_RETRY_DELAY_MS = 1_000
const MAX_RETRY_DELAY_MS = 30_000
/** Refreshes must reach the credential source itself: the SDK chain memoizes and would return what it holds. */
const FORCE_REFRESH = { forceRefresh: true }
const NEVER = Number.POSITIVE_INFINITY

/**
 * What to do when the gateway has no AWS credentials: said at startup and by the commands that need them, so the
 * fix is in front of whoever sees the failure.
 */
export const NO_CREDENTIALS_ADVICE = 'the gateway has no usable AWS credentials of its own. It takes them from the ' +
  'standard AWS chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN), AWS_PROFILE, web ' +
  'identity, or a container or instance role; aws.roleArn is then assumed on top of them'

function noCredentialsError (): BedrockError {
  return new BedrockError('ServiceUnavailableException',
    'The gateway has no valid AWS credentials to call Amazon Bedrock with at the moment. Try again shortly.')
}

function describe (error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

function ignore (): void {}

/**
 * The gateway's upstream credentials, fetched ahead of need: refreshed `refreshBeforeExpirySeconds` before they
 * expire (or halfway through their life if they live shorter than that), retried with backoff after a failure while
 * the current ones stay in use, and never handed out once expired. Requests never trigger a fetch of their own
 * unless no valid credentials exist at all; concurrent requests then share a single fetch, and after a failed one
 * they are refused at once until the next retry is due.
 */
export function createCredentialSource (config: AwsCredentialsConfig,
  provider: AwsCredentialIdentityProvider = defaultCredentialProvider(config)): CredentialSource {
  const refreshBeforeMs = config.refreshBeforeExpirySeconds * 1000
  let current: AwsCredentialIdentity | undefined
  let inFlight: Promise<AwsCredentialIdentity> | undefined
  let lastError: string | undefined
  let consecutiveFailures = 0
  let nextRefreshAt = NEVER
  let running = false
  let timer: NodeJS.Timeout | undefined

  const usable = (credentials: AwsCredentialIdentity): boolean =>
    credentials.expiration === undefined || credentials.expiration.getTime() - Date.now() > SIGNING_MARGIN_MS

  function refreshDelay (expiration: Date): number {
    const remaining = expiration.getTime() - Date.now()
    const untilRefreshWindow = remaining - refreshBeforeMs
    return Math.max(untilRefreshWindow > 0 ? untilRefreshWindow : remaining / 2, MIN_REFRESH_DELAY_MS)
  }

  function retryDelay (): number {
    return Math.min(FIRST_RETRY_DELAY_MS * 2 ** (consecutiveFailures - 1), MAX_RETRY_DELAY_MS)
  }

  function scheduleRefresh (delayMs: number): void {
    nextRefreshAt = Date.now() + delayMs
    clearTimeout(timer)
    timer = undefined
    if (running && delayMs !== NEVER) timer = setTimeout(refreshInBackground, delayMs).unref()
  }

  async function fetchFresh (): Promise<AwsCredentialIdentity> {
    try {
      const fresh = await provider(FORCE_REFRESH)
      if (!usable(fresh)) throw new Error('the credential provider returned credentials that have already expired')
      current = fresh
      lastError = undefined
      consecutiveFailures = 0
      scheduleRefresh(fresh.expiration === undefined ? NEVER : refreshDelay(fresh.expiration))
      return fresh
    } catch (error) {
      lastError = describe(error)
      consecutiveFailures++
      scheduleRefresh(retryDelay())
      throw error
    }
  }

  function fetchShared (): Promise<AwsCredentialIdentity> {
    inFlight ??= fetchFresh().finally(() => { inFlight = undefined })
    return inFlight
  }

  function refreshInBackground (): void {
    fetchShared().catch(ignore)
  }

  return {
    async get () {
      const cached = current
      if (cached !== undefined && usable(cached)) {
        // Covers a timer that fired late (a suspended host) or a source used without start().
        if (Date.now() >= nextRefreshAt) refreshInBackground()
        return cached
      }
      // During an outage requests fail at once until the next retry, rather than each asking the provider again.
      if (lastError !== undefined && inFlight === undefined && Date.now() < nextRefreshAt) throw noCredentialsError()
      try {
        return await fetchShared()
      } catch {
        throw noCredentialsError()
      }
    },

    status () {
      return {
        ok: current !== undefined && usable(current),
        expiresAt: current?.expiration,
        error: lastError
      }
    },

    async start () {
      running = true
      if (current !== undefined && usable(current)) {
        scheduleRefresh(Math.max(nextRefreshAt - Date.now(), 0))
        return
      }
      await fetchShared().catch(ignore)
    },

    stop () {
      running = false
      clearTimeout(timer)
      timer = undefined
    }
  }
}

/**
 * Where the gateway's own AWS credentials come from: the default Node chain (environment, shared profile, web
 * identity / IRSA, ECS and EC2 metadata), and, with `aws.roleArn`, the role assumed with those. Caching and refresh
 * are the credential source's job; this provider is called only when it decides to.
 */
export function defaultCredentialProvider (config: AwsCredentialsConfig): AwsCredentialIdentityProvider {
  const chain = fromNodeProviderChain()
  if (config.roleArn === undefined) return chain
  return fromTemporaryCredentials({
    masterCredentials: chain,
    params: {
      RoleArn: config.roleArn,
      RoleSessionName: config.sessionName,
      ExternalId: config.externalId
    }
  })
}
