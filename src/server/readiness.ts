import type { CredentialStatus } from '../upstream/index.ts'
import { GLOBAL_WINDOW, type MonitorWindow } from '../config/index.ts'

export interface ReadinessChecks {
  /** A validated config is loaded and the Bedrock listener is serving it. */
  configLoaded (): boolean
  credentials (): CredentialStatus
  draining (): boolean
  /** The monitor-mode windows open now; none: every caller is enforced. */
  monitorWindows (): readonly MonitorWindow[]
  /** True when the upstream is demo's Bedrock simulator. */
  simulatedUpstream (): boolean
}

/** One check's verdict; `detail` says why it failed, in words safe to show on the admin port. */
export interface CheckResult {
  readonly ok: boolean
  readonly detail?: string
}

export interface ReadinessReport {
  readonly ready: boolean
  readonly checks: {
    readonly config: CheckResult
    readonly credentials: CheckResult & { readonly expiresInSeconds?: number }
    readonly draining: CheckResult
  }
  /**
   * Not a check (monitor mode is a choice, and the gateway serves either way), but said here so that nobody watching
   * readiness can miss that refusals are being forwarded.
   */
  readonly enforcement: EnforcementReport
  /** Present only when the upstream is demo's Bedrock simulator, saying so. */
  readonly simulator?: string
}

export interface EnforcementReport {
  readonly mode: 'enforce' | 'monitor'
  /** Who is in monitor mode, until when (ISO 8601); `*` is the global setting. Only with `monitor`. */
  readonly monitoring?: ReadonlyArray<{ readonly client: string; readonly until: string }>
  readonly detail?: string
}

export interface ReadinessOptions {
  /** Credentials with less life than this left count as expired: a request signed now could outlive them. */
  readonly minCredentialLifetimeSeconds?: number
  readonly now?: () => number
}

export const DEFAULT_MIN_CREDENTIAL_LIFETIME_SECONDS = 60

const PASSED: CheckResult = { ok: true }

function describe (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A check that throws has failed: readiness fails closed. */
function safely<T extends CheckResult> (check: () => T): T | CheckResult {
  try {
    return check()
  } catch (error) {
    return { ok: false, detail: `the check itself failed: ${describe(error)}` }
  }
}

function configCheck (checks: ReadinessChecks): CheckResult {
  return checks.configLoaded() ? PASSED : { ok: false, detail: 'no valid config is loaded and served yet' }
}

function credentialsCheck (checks: ReadinessChecks, minLifetimeSeconds: number, nowMs: number): CheckResult & { readonly expiresInSeconds?: number } {
  const status = checks.credentials()
  if (!status.ok) return { ok: false, detail: `AWS credentials do not resolve: ${status.error ?? 'none have been fetched yet'}` }
  if (status.expiresAt === undefined) return PASSED
  const expiresInSeconds = Math.floor((status.expiresAt.getTime() - nowMs) / 1000)
  if (expiresInSeconds < minLifetimeSeconds) {
    return { ok: false, expiresInSeconds, detail: `AWS credentials expire in ${expiresInSeconds} s (less than ${minLifetimeSeconds} s)` }
  }
  return { ok: true, expiresInSeconds }
}

function drainingCheck (checks: ReadinessChecks): CheckResult {
  return checks.draining() ? { ok: false, detail: 'the gateway is draining for shutdown' } : PASSED
}

const ENFORCING: EnforcementReport = { mode: 'enforce' }
/** What readiness and the startup log say while the upstream is demo's simulator. */
export const SIMULATOR_NOTICE = 'SIMULATOR: the upstream is the built-in Bedrock simulator of `bedrock-geofence demo`; ' +
  'no request reaches AWS and every answer is made up'

function enforcementReport (checks: ReadinessChecks): EnforcementReport {
  const windows = checks.monitorWindows()
  if (windows.length === 0) return ENFORCING
  const monitoring = windows.map(({ subject, endMs }) => ({ client: subject, until: new Date(endMs).toISOString() }))
  const who = monitoring.map(({ client, until }) => `${client === GLOBAL_WINDOW ? 'every client without its own setting' : client} until ${until}`)
  return { mode: 'monitor', monitoring, detail: `monitor mode: allowlist refusals are forwarded and logged as would_deny for ${who.join('; ')}` }
}

/** Evaluates every check afresh on each call, so `/readyz` reflects the moment it is asked. */
export function createReadiness (checks: ReadinessChecks, options: ReadinessOptions = {}): () => ReadinessReport {
  const minLifetimeSeconds = options.minCredentialLifetimeSeconds ?? DEFAULT_MIN_CREDENTIAL_LIFETIME_SECONDS
  const now = options.now ?? Date.now
  return () => {
    const report = {
      config: safely(() => configCheck(checks)),
      credentials: safely(() => credentialsCheck(checks, minLifetimeSeconds, now())),
      draining: safely(() => drainingCheck(checks))
    }
    return {
      ready: report.config.ok && report.credentials.ok && report.draining.ok,
      checks: report,
      enforcement: enforcementReport(checks),
      ...(checks.simulatedUpstream() ? { simulator: SIMULATOR_NOTICE } : {})
    }
  }
}
