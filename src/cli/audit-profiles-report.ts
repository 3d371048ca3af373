import type { OperationName } from '../bedrock/index.ts'
import type { AuditedProfile, ProfileAudit } from '../policy/index.ts'
import { regionList, renderJson, renderTable } from './cli-io.ts'

const HEADINGS = ['SOURCE REGION', 'TYPE', 'PROFILE', 'DESTINATIONS', 'GATEWAY'] as const

function destinationsText ({ routing }: AuditedProfile): string {
  return routing.verified ? regionList(routing.regions) : `unverified: ${routing.problem}`
}

function gatewayText ({ decision }: AuditedProfile): string {
  return decision.allowed ? 'allowed' : `denied ${decision.reason}`
}

function plural (count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function summary (audit: ProfileAudit, regions: readonly string[]): string {
  const allowed = audit.profiles.filter(({ decision }) => decision.allowed).length
  const outside = audit.findings.length === 0
    ? 'none the allowlist admits by name can run outside allow.regions'
    : `${plural(audit.findings.length, 'profile')} the allowlist admits by name can run outside allow.regions`
  return `${plural(audit.profiles.length, 'profile')} in ${plural(regions.length, 'region')}: ` +
    `${allowed} allowed, ${audit.profiles.length - allowed} denied; ${outside}\n`
}

/**
 * One row per profile (source region, type, id, destinations as AWS reports them, the gateway's decision), then
 * each finding on a line of its own as `check` prints them, then a one-line summary.
 */
export function renderAuditText (audit: ProfileAudit, regions: readonly string[]): string {
  const rows = audit.profiles.map((audited) =>
    [audited.sourceRegion, audited.type, audited.id, destinationsText(audited), gatewayText(audited)])
  const findings = audit.findings.map(({ id, message }) => `${id}: ${message}\n`).join('')
  return `${renderTable([HEADINGS, ...rows])}${findings === '' ? '' : `\n${findings}`}\n${summary(audit, regions)}`
}

function profileJson (audited: AuditedProfile): Record<string, unknown> {
  const { routing, decision } = audited
  return {
    id: audited.id,
    arn: audited.arn,
    type: audited.type,
    sourceRegion: audited.sourceRegion,
    ...(audited.prefix === undefined ? {} : { prefix: audited.prefix }),
    ...(routing.verified
      ? { destinations: routing.regions, routes: routing.destinations }
      : { destinations: null, problem: routing.problem }),
    outsideAllowlist: audited.outside,
    decision: decision.allowed ? 'allowed' : 'denied',
    allowed: decision.allowed,
    reason: decision.reason,
    message: decision.message
  }
}

/** The same audit for machines: `{regions, operation, profiles: [...], findings: [...]}`, destinations as AWS names them. */
export function renderAuditJson (audit: ProfileAudit, regions: readonly string[], operation: OperationName): string {
  return renderJson({
    regions,
    operation,
    profiles: audit.profiles.map(profileJson),
    findings: audit.findings
  })
}
