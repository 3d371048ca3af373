import type { GeofenceConfig, RoutedResourceRule } from '../config/index.ts'
import { invocationStatements, listedArns, type RoutedResourceKind, type RoutedTargets } from './iam-policy.ts'
import {
  ANY_RESOURCE,
  bedrockArns,
  POLICY_VERSION,
  REQUESTED_REGION_KEY,
  type PolicyDocument,
  type PolicyStatement
} from './policy-document.ts'

/** Every ARN of each routed kind, for the gateway's role when the gateway itself checks where each one runs. */
const ANY_OF_KIND: Readonly<Record<RoutedResourceKind, readonly string[]>> = {
  applicationInferenceProfiles: ['application-inference-profile/*'],
  promptRouters: ['default-prompt-router/*', 'prompt-router/*']
}

/** The control-plane reads routing resolution and `audit-profiles` make, and what each reads. */
const LOOKUP_ACTIONS = ['bedrock:GetInferenceProfile', 'bedrock:GetPromptRouter']
const LOOKUP_RESOURCES = ['inference-profile/*', 'application-inference-profile/*', 'default-prompt-router/*', 'prompt-router/*']
/** A List call names no resource, so IAM authorizes it against `*`. */
const LISTING_ACTION = 'bedrock:ListInferenceProfiles'
const STATEMENT_SUFFIXES = { lookups: 'RoutingLookups', listing: 'RoutingListing', agentLookups: 'AgentLookups' } as const
/** The bedrock-agent reads that say what an agent or flow alias runs, and the operations whose aliases are resolved. */
const AGENT_LOOKUP_ACTIONS = ['bedrock:GetAgentAlias', 'bedrock:GetAgentVersion', 'bedrock:GetAgent', 'bedrock:GetFlowAlias', 'bedrock:GetFlowVersion', 'bedrock:GetFlow']
const AGENT_LOOKUP_RESOURCES = ['agent/*', 'agent-alias/*', 'flow/*']
const AGENT_ALIAS_OPERATIONS: Readonly<Record<'agentAliases' | 'flowAliases', readonly string[]>> = {
  agentAliases: ['InvokeAgent', 'InvokeInlineAgent'],
  flowAliases: ['InvokeFlow']
}
const LIVE_VERIFICATION = 'live'

/** In `resolve` mode the gateway may forward any ARN of the kind, once AWS has said where it runs. */
function gatewayTargets (config: GeofenceConfig, kind: RoutedResourceKind): readonly string[] {
  const rule: RoutedResourceRule | undefined = config.allow[kind]
  if (rule?.resolve !== true) return listedArns(rule)
  return rule.only ?? ANY_OF_KIND[kind].flatMap((resource) => bedrockArns(config, '*', '*', resource))
}

/** The gateway asks the control plane when a routed kind is resolved, or when system profiles are verified live. */
export function resolutionIsOn (config: GeofenceConfig): boolean {
  return config.routing.verify === LIVE_VERIFICATION ||
    config.allow.applicationInferenceProfiles?.resolve === true ||
    config.allow.promptRouters?.resolve === true
}

function resolutionStatements (config: GeofenceConfig): PolicyStatement[] {
  const inAllowedRegions = { StringEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } }
  return [
    {
      Sid: `${config.policy.sid}${STATEMENT_SUFFIXES.lookups}`,
      Effect: 'Allow',
      Action: LOOKUP_ACTIONS,
      Condition: inAllowedRegions,
      Resource: LOOKUP_RESOURCES.flatMap((resource) => bedrockArns(config, '*', '*', resource))
    },
    {
      Sid: `${config.policy.sid}${STATEMENT_SUFFIXES.listing}`,
      Effect: 'Allow',
      Action: [LISTING_ACTION],
      Condition: inAllowedRegions,
      Resource: ANY_RESOURCE
    }
  ]
}

/** The gateway asks bedrock-agent when an allowed operation names agent or flow aliases whose rule resolves them. */
function agentResolutionIsOn (config: GeofenceConfig): boolean {
  return (['agentAliases', 'flowAliases'] as const).some((key) => config.allow[key]?.resolve === true &&
    AGENT_ALIAS_OPERATIONS[key].some((operation) => (config.allow.operations as readonly string[]).includes(operation)))
}

function agentResolutionStatement (config: GeofenceConfig): PolicyStatement {
  return {
    Sid: `${config.policy.sid}${STATEMENT_SUFFIXES.agentLookups}`,
    Effect: 'Allow',
    Action: AGENT_LOOKUP_ACTIONS,
    Condition: { StringEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
    Resource: AGENT_LOOKUP_RESOURCES.flatMap((resource) => bedrockArns(config, '*', '*', resource))
  }
}

/**
 * The identity policy of the gateway's own role: what it forwards (the allowlist, with every application profile or
 * prompt router of a `resolve`d kind, since the gateway checks each one's destinations before forwarding), and, only
 * when resolution is on, the control-plane reads that resolution needs. Lookups happen in the requested region,
 * which is always an allowed one.
 */
export function gatewayPolicy (config: GeofenceConfig): PolicyDocument {
  const targets: RoutedTargets = {
    applicationInferenceProfiles: gatewayTargets(config, 'applicationInferenceProfiles'),
    promptRouters: gatewayTargets(config, 'promptRouters')
  }
  const statements = invocationStatements(config, targets)
  if (resolutionIsOn(config)) statements.push(...resolutionStatements(config))
  if (agentResolutionIsOn(config)) statements.push(agentResolutionStatement(config))
  return { Version: POLICY_VERSION, Statement: statements }
}
