import type { ArnResourceType } from './identifier-types.ts'

/**
 * How far each ARN resource type can reach (the engine's rule 4):
 * - `single-region` runs where its ARN says;
 * - `prefix-routed` (system profiles) reaches what its prefix reaches, which rule 3 checks against the catalog (and,
 *   with `routing.verify: live`, against what AWS reports);
 * - `resolved` can send the request to other regions, which the control plane reports (application profiles,
 *   prompt routers): governed by the allowlist key in RESOLVED_RESOURCE_KEYS;
 * - `routed` can send the request to other regions and nothing reports where, so it is refused unless listed by full
 *   ARN in allow.routedResources;
 * - `not-a-model` names no model (guardrails, async invocations): checked for partition and region only.
 * A new resource type does not compile until it is placed here.
 */
export const RESOURCE_ROUTING: Readonly<Record<ArnResourceType, 'single-region' | 'prefix-routed' | 'resolved' | 'routed' | 'not-a-model'>> = {
  'foundation-model': 'single-region',
  'inference-profile': 'prefix-routed',
  'provisioned-model': 'single-region',
  'imported-model': 'single-region',
  'custom-model-deployment': 'single-region',
  // A custom model is stored and served in the region of its ARN; nothing in the reference routes it elsewhere.
  'custom-model': 'single-region',
  'application-inference-profile': 'resolved',
  'prompt-router': 'resolved',
  'default-prompt-router': 'resolved',
  prompt: 'routed',
  endpoint: 'routed',
  guardrail: 'not-a-model',
  'async-invoke': 'not-a-model',
  // A knowledge base runs its embedding model in its own region; an agent or flow is named with its alias.
  'knowledge-base': 'not-a-model',
  agent: 'not-a-model',
  flow: 'not-a-model',
  // An alias runs the models its agent or flow version was built with, which bedrock-agent reports.
  'agent-alias': 'resolved',
  'flow-alias': 'resolved'
}

/** The allowlist key whose rule governs each `resolved` resource type. */
export const RESOLVED_RESOURCE_KEYS = {
  'application-inference-profile': 'applicationInferenceProfiles',
  'prompt-router': 'promptRouters',
  'default-prompt-router': 'promptRouters',
  'agent-alias': 'agentAliases',
  'flow-alias': 'flowAliases'
} as const satisfies Partial<Record<ArnResourceType, 'applicationInferenceProfiles' | 'promptRouters' | 'agentAliases' | 'flowAliases'>>

export type ResolvedResourceType = keyof typeof RESOLVED_RESOURCE_KEYS

export function isResolvedResourceType (type: ArnResourceType): type is ResolvedResourceType {
  return RESOURCE_ROUTING[type] === 'resolved'
}
