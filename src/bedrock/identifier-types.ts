import type { AgentRuntimeLocation } from './agent-runtime-identifiers.ts'

/** The ARN resource types that bedrock-runtime accepts where a model id goes (the service model's `modelId` patterns). */
export type ArnResourceType =
  | 'foundation-model'
  | 'inference-profile'
  | 'application-inference-profile'
  | 'provisioned-model'
  | 'imported-model'
  | 'custom-model'
  | 'custom-model-deployment'
  | 'prompt'
  | 'default-prompt-router'
  | 'prompt-router'
  | 'guardrail'
  | 'async-invoke'
  | 'endpoint'
  | AgentRuntimeResourceType

export interface ParsedArn {
  readonly partition: string
  /** `bedrock` or `sagemaker`. */
  readonly service: string
  /** Empty for the region-less foundation-model ARN that global profiles authorize against. */
  readonly region: string
  readonly account: string
  readonly resourceType: ArnResourceType
  readonly resourceId: string
  /** The ARN exactly as decoded. */
  readonly text: string
}

/** What bedrock-agent-runtime names besides models: knowledge bases, agents and flows, and their aliases. */
export type AgentRuntimeResourceType = 'knowledge-base' | 'agent' | 'agent-alias' | 'flow' | 'flow-alias'

/** One identifier a request names, already decoded exactly once and validated. */
export type ResourceIdentifier =
  | { readonly kind: 'foundation-model'; readonly text: string }
  | { readonly kind: 'inference-profile'; readonly text: string; readonly prefix: string }
  | { readonly kind: 'arn'; readonly text: string; readonly arn: ParsedArn; readonly prefix?: string }
  | { readonly kind: 'guardrail-id'; readonly text: string }
  /**
   * A knowledge base, agent alias or flow alias named by id alone: it is in the requested region. `text` is the
   * resource part its ARN would have (`agent-alias/AGENTID/ALIASID`), so it reads the same in messages and caches.
   */
  | { readonly kind: 'regional-id'; readonly text: string; readonly resourceType: AgentRuntimeResourceType; readonly resourceId: string }

/** Where in the request an identifier was found; shown in refusals so the caller can find the bad value. */
export type IdentifierLocation =
  | 'path.modelId'
  | 'path.guardrailIdentifier'
  | 'path.invocationArn'
  | 'body.modelId'
  | 'body.model'
  | 'body.guardrailConfig.guardrailIdentifier'
  | 'header.x-amzn-bedrock-guardrailidentifier'
  | AgentRuntimeLocation

/** The locations that name the model a request runs on (a path label, or a body member), in any operation. */
export const MODEL_ID_LOCATIONS: ReadonlySet<IdentifierLocation> = new Set<IdentifierLocation>([
  'path.modelId',
  'body.modelId',
  'body.model',
  // bedrock-agent-runtime: the reranking model, the generation model, an inline agent's model.
  'body.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.retrieveAndGenerateConfiguration.knowledgeBaseConfiguration.modelArn',
  'body.foundationModel'
])

export interface NamedIdentifier {
  readonly location: IdentifierLocation
  readonly id: ResourceIdentifier
}
