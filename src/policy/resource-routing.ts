import type { ArnResourceType } from '../bedrock/identifier-types.ts'

/**
 * How far each ARN resource type can reach (issue 2, rule 4). `single-region` runs where its ARN says;
 * `routed` can send the request to other regions, so it is refused unless listed by full ARN in
 * allow.routedResources; `not-a-model` names no model (guardrails and async invocations, checked for region only).
 * A new resource type does not compile until it is placed here.
 */
export const RESOURCE_ROUTING: Readonly<Record<ArnResourceType, 'single-region' | 'routed' | 'not-a-model'>> = {
  'foundation-model': 'single-region',
  // Its routing is the prefix's, which rule 3 checks against the catalog before rule 4 looks at the ARN.
  'inference-profile': 'single-region',
  'provisioned-model': 'single-region',
  'imported-model': 'single-region',
  'custom-model-deployment': 'single-region',
  'application-inference-profile': 'routed',
  'prompt-router': 'routed',
  'default-prompt-router': 'routed',
  prompt: 'routed',
  endpoint: 'routed',
  // Not in the single-region list; until someone shows where it runs, it must be listed explicitly.
  'custom-model': 'routed',
  guardrail: 'not-a-model',
  'async-invoke': 'not-a-model'
}
