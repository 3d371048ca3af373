import { GLOBAL_PROFILE_PREFIX, IAM_ACTIONS, OPERATION_NAMES } from '../bedrock/index.ts'
import type { GeofenceConfig, RoutedResourceRule } from '../config/index.ts'
import {
  allowedProfileArnPatterns, ANY_RESOURCE, bedrockArns, INFERENCE_PROFILE_ARN_KEY, oneOrMany,
  POLICY_VERSION, REQUESTED_REGION_KEY, UNSPECIFIED_REGION, type ConditionBlock, type PolicyDocument,
  type PolicyStatement
} from './policy-document.ts'

/** A resource pattern inside Bedrock ARNs; AWS-owned resources (foundation models) have no account. */
interface ResourcePattern {
  readonly account: '' | '*'
  readonly resource: string
}

const FOUNDATION_MODELS: ResourcePattern = { account: '', resource: 'foundation-model/*' }
const SYSTEM_PROFILES: ResourcePattern = { account: '*', resource: 'inference-profile/*' }
/** Model resources every invocation action is authorized against (AWS's documented policy for cross-region inference: the profile, and the foundation model in every destination region). */
const MODEL_RESOURCES: readonly ResourcePattern[] = [
  FOUNDATION_MODELS,
  { account: '*', resource: 'provisioned-model/*' },
  { account: '*', resource: 'imported-model/*' }
]

/**
 * Actions authorized against something other than a model (Service Authorization Reference for Amazon Bedrock):
 * their resource joins the statement, or, for an action without resource-level permissions, they get a statement
 * of their own so the models never become `*`.
 */
const NON_MODEL_RESOURCES: Readonly<Record<string, string | typeof ANY_RESOURCE>> = {
  'bedrock:ApplyGuardrail': 'guardrail/*',
  'bedrock:GetAsyncInvoke': 'async-invoke/*',
  'bedrock:ListAsyncInvokes': ANY_RESOURCE,
  // bedrock-agent-runtime: the knowledge base, agent alias or flow alias called; Rerank, RetrieveAndGenerate and
  // inline agents are granted on `*` (as AWS's own examples do) and confined by the region condition.
  'bedrock:Rerank': ANY_RESOURCE,
  'bedrock:Retrieve': 'knowledge-base/*',
  'bedrock:RetrieveAndGenerate': ANY_RESOURCE,
  'bedrock:InvokeAgent': 'agent-alias/*',
  'bedrock:InvokeInlineAgent': ANY_RESOURCE,
  'bedrock:InvokeFlow': 'flow/*/alias/*'
}

/**
 * Actions that run a model with the caller's own permissions, so the caller also needs bedrock:InvokeModel on it:
 * the reranking model, the generation model, an inline agent's model
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/rerank-prereq.html).
 */
const INVOKES_MODEL_AS_CALLER: ReadonlySet<string> = new Set(['bedrock:Rerank', 'bedrock:RetrieveAndGenerate', 'bedrock:InvokeInlineAgent'])
const INVOKE_MODEL_ACTION = 'bedrock:InvokeModel'

/** Agent and flow aliases listed by ARN are granted as listed, instead of every alias in the allowed regions. */
const LISTED_ALIAS_KEYS: Readonly<Record<string, 'agentAliases' | 'flowAliases'>> = {
  'bedrock:InvokeAgent': 'agentAliases',
  'bedrock:InvokeFlow': 'flowAliases'
}
const UNSCOPED_STATEMENT_SUFFIX = 'Unscoped'
/** Present on every authorization of a call made through a prompt router (Service Authorization Reference). */
export const PROMPT_ROUTER_ARN_KEY = 'bedrock:PromptRouterArn'

/** The allowlist keys of the resources that route to models of their own choosing. */
export type RoutedResourceKind = 'applicationInferenceProfiles' | 'promptRouters'

/**
 * What IAM may invoke through routed resources: per kind, full ARNs (or ARN patterns, for the gateway's own role
 * in `resolve` mode). Empty: no statement for that kind.
 */
export type RoutedTargets = Readonly<Record<RoutedResourceKind, readonly string[]>>

/**
 * How IAM authorizes a call through each routed kind ("Prerequisites for inference profiles", Bedrock user guide):
 * the routed resource itself, and then each model it sends the call to, in that model's region, with the routed
 * resource's ARN in a condition key. A prompt router's models and fallback may be system profiles, so its calls
 * also authorize inference profiles.
 */
const ROUTED_KINDS: Readonly<Record<RoutedResourceKind, {
  readonly resourcesSid: string
  readonly modelsSid: string
  readonly conditionKey: string
  readonly modelResources: readonly ResourcePattern[]
}>> = {
  applicationInferenceProfiles: {
    resourcesSid: 'ApplicationProfiles',
    modelsSid: 'ApplicationProfileModels',
    conditionKey: INFERENCE_PROFILE_ARN_KEY,
    modelResources: [FOUNDATION_MODELS]
  },
  promptRouters: {
    resourcesSid: 'PromptRouters',
    modelsSid: 'PromptRouterModels',
    conditionKey: PROMPT_ROUTER_ARN_KEY,
    modelResources: [FOUNDATION_MODELS, SYSTEM_PROFILES]
  }
}
const ROUTED_KIND_ORDER: readonly RoutedResourceKind[] = ['applicationInferenceProfiles', 'promptRouters']

/** bedrock-mantle's actions have their own service prefix, and are authorized against its projects, not models. */
const MANTLE_ACTION_PREFIX = 'bedrock-mantle:'
const MANTLE_STATEMENT_SUFFIX = 'Mantle'
/**
 * Mantle's resource: a project (`arn:aws:bedrock-mantle:{region}:{account}:project/{id}`), as in AWS's managed policy
 * AmazonBedrockMantleInferenceAccess (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonBedrockMantleInferenceAccess.html).
 */
const MANTLE_PROJECTS = 'project/*'

/** The IAM actions of the allowed operations, each once, in the service model's operation order. */
function allowedActions (config: GeofenceConfig): string[] {
  const actions = OPERATION_NAMES.filter((name) => config.allow.operations.includes(name)).flatMap((name) => IAM_ACTIONS[name])
  if (actions.some((action) => INVOKES_MODEL_AS_CALLER.has(action))) actions.push(INVOKE_MODEL_ACTION)
  return [...new Set(actions)]
}

/**
 * bedrock-mantle's allowed actions, in the allowed regions, on any project: IAM has no key that names the model a
 * mantle call runs, so the gateway alone holds mantle to allow.mantleModels.
 */
function mantleStatements (config: GeofenceConfig, actions: readonly string[]): PolicyStatement[] {
  if (actions.length === 0) return []
  return [{
    Sid: `${config.policy.sid}${MANTLE_STATEMENT_SUFFIX}`,
    Effect: 'Allow',
    Action: [...actions],
    Condition: { StringEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
    Resource: config.allow.partitions.map((partition) => `arn:${partition}:bedrock-mantle:*:*:${MANTLE_PROJECTS}`)
  }]
}

function patternArns (config: GeofenceConfig, { account, resource }: ResourcePattern): string[] {
  return bedrockArns(config, '*', account, resource)
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
  const resources = MODEL_RESOURCES.flatMap((pattern) => patternArns(config, pattern))
  if (config.allow.inferenceProfilePrefixes.length > 0) resources.push(...patternArns(config, SYSTEM_PROFILES))
  for (const action of actions) {
    const resource = NON_MODEL_RESOURCES[action]
    if (resource === undefined || resource === ANY_RESOURCE) continue
    const aliasKey = LISTED_ALIAS_KEYS[action]
    const listed = aliasKey === undefined ? [] : listedArns(config.allow[aliasKey])
    resources.push(...(listed.length > 0 ? listed : bedrockArns(config, '*', '*', resource)))
  }
  return resources
}

/**
 * Two statements per routed kind, in AWS's documented shape: the routed resources themselves, and the models they
 * route to, only when the call came through one of them. Both keep the region condition, so IAM still refuses a
 * destination outside the allowlist (IAM sees the destination as the requested region of the model's authorization).
 */
function routedStatements (config: GeofenceConfig, modelActions: readonly string[], targets: RoutedTargets): PolicyStatement[] {
  if (modelActions.length === 0) return []
  return ROUTED_KIND_ORDER.flatMap((kind): PolicyStatement[] => {
    const arns = targets[kind]
    if (arns.length === 0) return []
    const { resourcesSid, modelsSid, conditionKey, modelResources } = ROUTED_KINDS[kind]
    return [
      {
        Sid: `${config.policy.sid}${resourcesSid}`,
        Effect: 'Allow',
        Action: [...modelActions],
        Condition: { StringEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
        Resource: [...arns]
      },
      {
        Sid: `${config.policy.sid}${modelsSid}`,
        Effect: 'Allow',
        Action: [...modelActions],
        Condition: {
          StringEquals: { [REQUESTED_REGION_KEY]: requestedRegions(config) },
          ArnLike: { [conditionKey]: oneOrMany(arns) }
        },
        Resource: modelResources.flatMap((pattern) => patternArns(config, pattern))
      }
    ]
  })
}

/** A routed kind's full ARNs that the config allows without asking AWS (`allow.<kind>: [ARN, ...]`). */
export function listedArns (rule: RoutedResourceRule | undefined): readonly string[] {
  return rule === undefined || rule.resolve ? [] : rule.only ?? []
}

/**
 * Every statement that lets a principal invoke what the allowlist allows, as far as IAM can say it: the allowed
 * operations' actions, in the allowed regions, through the allowed profile prefixes and the given routed resources.
 */
export function invocationStatements (config: GeofenceConfig, targets: RoutedTargets): PolicyStatement[] {
  const allActions = allowedActions(config)
  const mantle = allActions.filter((action) => action.startsWith(MANTLE_ACTION_PREFIX))
  const actions = allActions.filter((action) => !mantle.includes(action))
  const unscoped = actions.filter((action) => NON_MODEL_RESOURCES[action] === ANY_RESOURCE)
  const scoped = actions.filter((action) => !unscoped.includes(action))
  const statements: PolicyStatement[] = scoped.length === 0
    ? []
    : [{
        Sid: config.policy.sid,
        Effect: 'Allow',
        Action: scoped,
        Condition: invocationCondition(config),
        Resource: scopedResources(config, scoped)
      }]
  const modelActions = scoped.filter((action) => NON_MODEL_RESOURCES[action] === undefined)
  statements.push(...routedStatements(config, modelActions, targets))
  if (unscoped.length > 0) {
    statements.push({
      Sid: `${config.policy.sid}${UNSCOPED_STATEMENT_SUFFIX}`,
      Effect: 'Allow',
      Action: unscoped,
      Condition: { StringEquals: { [REQUESTED_REGION_KEY]: [...config.allow.regions] } },
      Resource: ANY_RESOURCE
    })
  }
  statements.push(...mantleStatements(config, mantle))
  return statements
}

/**
 * The identity policy that allows exactly what the allowlist allows, as far as IAM can say it. Application profiles
 * and prompt routers appear only when listed by ARN: IAM cannot ask AWS where a `resolve`d one runs.
 */
export function identityPolicy (config: GeofenceConfig): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: invocationStatements(config, {
      applicationInferenceProfiles: listedArns(config.allow.applicationInferenceProfiles),
      promptRouters: listedArns(config.allow.promptRouters)
    })
  }
}
