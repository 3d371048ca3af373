import {
  type InferenceProfileDescription,
  type InferenceProfileType,
  type OperationName,
  profilePrefixOf
} from '../bedrock/index.ts'
import type { AllowList, RoutingCatalog, RoutingVerifyMode } from '../config/index.ts'
import { ANY_REGION, type RequestFacts, type RoutingResolution } from './types.ts'
import { decide } from './engine.ts'
import { factsForModel } from './facts-for-model.ts'
import { listedArns } from './iam-policy.ts'
import { needsResolution } from './identifiers-to-resolve.ts'
import type { Finding } from './findings.ts'
import type { Decision } from '../core/index.ts'

/** One profile ListInferenceProfiles reported from a source region, and where AWS says it runs from there. */
export interface ListedProfile {
  readonly sourceRegion: string
  readonly profile: InferenceProfileDescription
  readonly routing: RoutingResolution
}

export interface ProfileAuditSettings {
  readonly allowList: AllowList
  readonly catalog: RoutingCatalog
  readonly verify: RoutingVerifyMode
  /** The operation each profile is decided for, as `explain --operation` does. */
  readonly operation: OperationName
}

export interface AuditedProfile {
  readonly sourceRegion: string
  readonly id: string
  readonly arn: string
  readonly type: InferenceProfileType
  /** The system profile's prefix (`us`, `eu` ...); absent for application profiles. */
  readonly prefix?: string
  readonly routing: RoutingResolution
  /** What the gateway, with this allowlist, catalog and `routing.verify`, decides for a call to the profile. */
  readonly decision: Decision
  /** Regions AWS reports outside allow.regions (ANY_REGION for a profile without a boundary). */
  readonly outside: readonly string[]
}

export interface ProfileAudit {
  readonly profiles: readonly AuditedProfile[]
  /** Profiles the allowlist admits by name (prefix, or ARN listed) that AWS says can run outside it. */
  readonly findings: readonly Finding[]
}

export const AUDIT_FINDING_KIND = 'profile-routes-outside'
const APPLICATION_TYPE: InferenceProfileType = 'APPLICATION'
const ANY_REGION_NAME = 'any region'

/** Clients name a system profile by its id and an application profile by its ARN (its id is no model id). */
function modelIdOf ({ profile }: ListedProfile): string {
  return profile.type === APPLICATION_TYPE ? profile.inferenceProfileArn : profile.inferenceProfileId
}

function prefixOf (facts: RequestFacts): string | undefined {
  const id = facts.identifiers[0]?.id
  return id === undefined ? undefined : profilePrefixOf(id)
}

/**
 * The gateway's own decision for a call through the profile, with AWS's answer handed to the engine exactly when the
 * gateway would have asked for it (a resolved kind, or `live` mode).
 */
function decisionFor (listed: ListedProfile, modelId: string, settings: ProfileAuditSettings): { decision: Decision; facts?: RequestFacts } {
  const understood = factsForModel(settings.operation, listed.sourceRegion, modelId)
  if (!understood.ok) return { decision: understood.decision }
  const { facts } = understood
  const asked = facts.identifiers.filter((named) => needsResolution(named, facts.region, settings.allowList, settings.verify))
  const resolutions = new Map(asked.map((named) => [named.id.text, listed.routing]))
  const decision = decide({ ...facts, routing: { verify: settings.verify, resolutions } }, settings.allowList, settings.catalog)
  return { decision, facts }
}

/** An allowed prefix, or an application profile listed by ARN: the allowlist admits it without asking AWS. */
function admittedByName (audited: AuditedProfile, allowList: AllowList): boolean {
  if (audited.prefix !== undefined) return allowList.inferenceProfilePrefixes.includes(audited.prefix)
  return audited.type === APPLICATION_TYPE && listedArns(allowList.applicationInferenceProfiles).includes(audited.arn)
}

function findingFor (audited: AuditedProfile): Finding {
  const outside = audited.outside.map((region) => region === ANY_REGION ? ANY_REGION_NAME : region).join(', ')
  return {
    id: [AUDIT_FINDING_KIND, audited.id, audited.sourceRegion].join(':'),
    message: `${audited.id} called from ${audited.sourceRegion} can run in ${outside}, outside allow.regions, as AWS reports it`
  }
}

/**
 * Audits what ListInferenceProfiles reported: per profile, where AWS says it runs, what the gateway decides for it,
 * and a finding for every profile the allowlist admits by name (an allowed prefix, or an application profile listed
 * by ARN) that can run outside allow.regions: the routing catalog is stale or the allowlist is wrong.
 */
export function auditProfiles (listed: readonly ListedProfile[], settings: ProfileAuditSettings): ProfileAudit {
  const profiles = listed.map((entry): AuditedProfile => {
    const { decision, facts } = decisionFor(entry, modelIdOf(entry), settings)
    const prefix = facts === undefined ? undefined : prefixOf(facts)
    const outside = entry.routing.verified
      ? entry.routing.regions.filter((region) => !settings.allowList.regions.includes(region))
      : []
    return {
      sourceRegion: entry.sourceRegion,
      id: entry.profile.inferenceProfileId,
      arn: entry.profile.inferenceProfileArn,
      type: entry.profile.type,
      ...(prefix === undefined ? {} : { prefix }),
      routing: entry.routing,
      decision,
      outside
    }
  })
  const findings = profiles
    .filter((audited) => audited.outside.length > 0 && admittedByName(audited, settings.allowList))
    .map(findingFor)
  return { profiles, findings }
}
