import type { ArnResourceType } from '../bedrock/identifier-types.ts'

/**
 * How far each ARN resource type can reach (issue 2, rule 4):
 * - `single-region` runs where its ARN says;
 * - `prefix-routed` (system profiles) reaches what its prefix reaches, which rule 3 checks against the catalog;
 * - `routed` can send the request to other regions, so it is refused unless listed by full ARN in allow.routedResources;
 * - `not-a-model` names no model (guardrails, async invocations): checked for partition and region only.
 * A new resource type does not compile until it is placed here.
 */
export const RESOURCE_ROUTING: Readonly<Record<ArnResourceType, 'single-region' | 'prefix-routed' | 'routed' | 'not-a-model'>> = {
  'foundation-model': 'single-region',
  'inference-profile': 'prefix-routed',
  'provisioned-model': 'single-region',
  'imported-model': 'single-region',
  'custom-model-deployment': 'single-region',
  // A custom model is stored and served in the region of its ARN; nothing in the reference routes it elsewhere.
  'custom-model': 'single-region',
  'application-inference-profile': 'routed',
  'prompt-router': 'routed',
  'default-prompt-router': 'routed',
  prompt: 'routed',
  endpoint: 'routed',
  guardrail: 'not-a-model',
  'async-invoke': 'not-a-model'
}
