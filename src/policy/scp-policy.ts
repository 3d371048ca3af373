import { AGENT_RUNTIME_OPERATION_NAMES, GLOBAL_PROFILE_PREFIX, IAM_ACTION, OPERATIONS } from '../bedrock/index.ts'
import type { GeofenceConfig } from '../config/index.ts'
import {
  allowedProfileArnPatterns, ANY_RESOURCE, bedrockArns, INFERENCE_PROFILE_ARN_KEY, oneOrMany,
  POLICY_VERSION, REQUESTED_REGION_KEY, UNSPECIFIED_REGION, type ConditionBlock, type PolicyDocument,
  type PolicyStatement
} from './policy-document.ts'

/**
 * The actions AWS's "approved regions with Bedrock cross-region inference" SCP carves out of the region Deny:
 * a geographic profile authorizes them in its destination region, which may lie outside the approved list.
 */
const INFERENCE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:CreateModelInvocationJob']
const ALL_BEDROCK_ACTIONS = 'bedrock:*'

export const SCP_SIDS = {
  outsideRegions: 'DenyBedrockOutsideApprovedRegions',
  inferenceOutsideRegions: 'DenyBedrockInferenceOutsideApprovedRegions',
  globalInference: 'DenyBedrockGlobalInference',
  mantleOutsideRegions: 'DenyBedrockMantleOutsideApprovedRegions',
  agentRuntimeOutsideRegions: 'DenyBedrockAgentRuntimeOutsideApprovedRegions'
} as const

/** Every bedrock-mantle action: mantle has no cross-region profiles, so nothing of it is carved out. */
const ALL_MANTLE_ACTIONS = 'bedrock-mantle:*'

/**
 * The allowed bedrock-agent-runtime actions. Rerank, RetrieveAndGenerate and inline agents have no Bedrock ARN to
 * scope by, so statement 1 does not reach them; they get a region Deny of their own on `*`.
 */
function agentRuntimeActions (config: GeofenceConfig): string[] {
  const actions = AGENT_RUNTIME_OPERATION_NAMES.filter((name) => config.allow.operations.includes(name)).map((name) => IAM_ACTION[name])
  return [...new Set(actions)]
}

/**
 * Statement 2 of AWS's pattern: inference outside the approved regions is denied unless it comes through a profile
 * with an allowed prefix (`ArnNotLike` also matches when the key is absent, so direct calls there are denied).
 * With no prefix allowed, there is nothing to carve out.
 */
function inferenceCondition (config: GeofenceConfig): ConditionBlock {
  const outside = { StringNotEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } }
  const profiles = allowedProfileArnPatterns(config)
  if (profiles.length === 0) return outside
  return { ...outside, ArnNotLike: { [INFERENCE_PROFILE_ARN_KEY]: oneOrMany(profiles) } }
}

/**
 * The organisation-level guard in AWS's documented pattern (service-control-policy-examples, Region-controls, with
 * Bedrock CRIS), limited to Bedrock: statement 1 denies every other Bedrock action on Bedrock resources outside the
 * approved regions (scoped to Bedrock ARNs so this SCP governs no other service; Bedrock actions without
 * resource-level permissions, such as the List calls, are outside its reach); statement 2 denies inference there
 * unless routed by an allowed profile; statement 3 blocks global routing, which IAM sees as region `unspecified`.
 */
export function serviceControlPolicy (config: GeofenceConfig): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: SCP_SIDS.outsideRegions,
      Effect: 'Deny',
      NotAction: INFERENCE_ACTIONS,
      Condition: { StringNotEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
      Resource: oneOrMany(bedrockArns(config, '*', '*', '*'))
    },
    {
      Sid: SCP_SIDS.inferenceOutsideRegions,
      Effect: 'Deny',
      Action: INFERENCE_ACTIONS,
      Condition: inferenceCondition(config),
      Resource: ANY_RESOURCE
    }
  ]
  const agentRuntime = agentRuntimeActions(config)
  if (agentRuntime.length > 0) {
    statements.push({
      Sid: SCP_SIDS.agentRuntimeOutsideRegions,
      Effect: 'Deny',
      Action: agentRuntime,
      Condition: { StringNotEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
      Resource: ANY_RESOURCE
    })
  }
  if (!config.allow.inferenceProfilePrefixes.includes(GLOBAL_PROFILE_PREFIX)) {
    statements.push({
      Sid: SCP_SIDS.globalInference,
      Effect: 'Deny',
      Action: ALL_BEDROCK_ACTIONS,
      Condition: { StringEquals: { [REQUESTED_REGION_KEY]: UNSPECIFIED_REGION } },
      Resource: ANY_RESOURCE
    })
  }
  // Only when mantle is allowed, so the SCP of a runtime-only allowlist is unchanged.
  if (config.allow.operations.some((operation) => OPERATIONS[operation].api === 'bedrock-mantle')) {
    statements.push({
      Sid: SCP_SIDS.mantleOutsideRegions,
      Effect: 'Deny',
      Action: ALL_MANTLE_ACTIONS,
      Condition: { StringNotEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
      Resource: ANY_RESOURCE
    })
  }
  return { Version: POLICY_VERSION, Statement: statements }
}
