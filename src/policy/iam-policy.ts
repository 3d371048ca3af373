import { OPERATION_NAMES } from '../bedrock/operation-names.ts'
import { IAM_ACTION } from '../bedrock/operations.ts'
import { GLOBAL_PROFILE_PREFIX } from '../bedrock/profile-prefixes.ts'
import type { GeofenceConfig } from '../config/types.ts'
import {
  allowedProfileArnPatterns, ANY_RESOURCE, bedrockArns, INFERENCE_PROFILE_ARN_KEY, oneOrMany,
  POLICY_VERSION, REQUESTED_REGION_KEY, UNSPECIFIED_REGION, type ConditionBlock, type PolicyDocument,
  type PolicyStatement
} from './policy-document.ts'

/** Model resources every invocation action is authorized against (cross-region-profiles.md, the seed policy). */
const MODEL_RESOURCES = [
  { account: '', resource: 'foundation-model/*' },
  { account: '*', resource: 'provisioned-model/*' },
  { account: '*', resource: 'imported-model/*' }
] as const
const PROFILE_RESOURCE = 'inference-profile/*'

/**
 * Actions authorized against something other than a model (Service Authorization Reference for Amazon Bedrock):
 * their resource joins the statement, or, for an action without resource-level permissions, they get a statement
 * of their own so the models never become `*`.
 */
const NON_MODEL_RESOURCES: Readonly<Record<string, string | typeof ANY_RESOURCE>> = {
  'bedrock:ApplyGuardrail': 'guardrail/*',
  'bedrock:GetAsyncInvoke': 'async-invoke/*',
  'bedrock:ListAsyncInvokes': ANY_RESOURCE
}
const UNSCOPED_STATEMENT_SUFFIX = 'Unscoped'

/** The IAM actions of the allowed operations, each once, in the service model's operation order. */
function allowedActions (config: GeofenceConfig): string[] {
  const actions = OPERATION_NAMES.filter((name) => config.allow.operations.includes(name)).map((name) => IAM_ACTION[name])
  return [...new Set(actions)]
}

/** A global profile's foundation model is authorized with the requested region `unspecified`. */
function requestedRegions (config: GeofenceConfig): string[] {
  const globalAllowed = config.allow.inferenceProfilePrefixes.includes(GLOBAL_PROFILE_PREFIX)
  return globalAllowed ? [...config.allow.regions, UNSPECIFIED_REGION] : [...config.allow.regions]
}

/**
 * `bedrock:InferenceProfileArn` exists only when the call goes through a profile, hence `IfExists`: a direct
 * foundation-model call has no such key and passes, a profile call passes only with an allowed prefix.
 */
function invocationCondition (config: GeofenceConfig): ConditionBlock {
  const regions = { StringEquals: { [REQUESTED_REGION_KEY]: requestedRegions(config) } }
  const profiles = allowedProfileArnPatterns(config)
  if (profiles.length === 0) return regions
  return { ...regions, StringLikeIfExists: { [INFERENCE_PROFILE_ARN_KEY]: oneOrMany(profiles) } }
}

function scopedResources (config: GeofenceConfig, actions: readonly string[]): string[] {
  const resources = MODEL_RESOURCES.flatMap(({ account, resource }) => bedrockArns(config, '*', account, resource))
  if (config.allow.inferenceProfilePrefixes.length > 0) resources.push(...bedrockArns(config, '*', '*', PROFILE_RESOURCE))
  for (const action of actions) {
    const resource = NON_MODEL_RESOURCES[action]
    if (resource !== undefined && resource !== ANY_RESOURCE) resources.push(...bedrockArns(config, '*', '*', resource))
  }
  return resources
}

/**
 * The identity policy that allows exactly what the allowlist allows, as far as IAM can say it: the allowed
 * operations' actions, in the allowed regions, through the allowed profile prefixes only.
 */
export function identityPolicy (config: GeofenceConfig): PolicyDocument {
  const actions = allowedActions(config)
  const unscoped = actions.filter((action) => NON_MODEL_RESOURCES[action] === ANY_RESOURCE)
  const scoped = actions.filter((action) => !unscoped.includes(action))
  const statements: PolicyStatement[] = [{
    Sid: config.policy.sid,
    Effect: 'Allow',
    Action: scoped,
    Condition: invocationCondition(config),
    Resource: scopedResources(config, scoped)
  }]
  if (unscoped.length > 0) {
    statements.push({
      Sid: `${config.policy.sid}${UNSCOPED_STATEMENT_SUFFIX}`,
      Effect: 'Allow',
      Action: unscoped,
      Condition: { StringEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
      Resource: ANY_RESOURCE
    })
  }
  return { Version: POLICY_VERSION, Statement: statements }
}
