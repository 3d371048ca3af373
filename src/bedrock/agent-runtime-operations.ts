import type { AgentRuntimeOperationName } from './operation-names.ts'
import type { IdentifierLocation } from './identifier-types.ts'
import { type OperationSpec, operationsOf } from './operation-spec.ts'

const operation = operationsOf('bedrock-agent-runtime')

/*
 * IAM actions: the Service Authorization Reference lists each as an action of its own
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html). Rerank also needs
 * bedrock:InvokeModel on the reranking model, and Retrieve / RetrieveAndGenerate need bedrock:Rerank with it when
 * they rerank (https://docs.aws.amazon.com/bedrock/latest/userguide/rerank-prereq.html); RetrieveAndGenerateStream is
 * authorized as bedrock:RetrieveAndGenerate
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_RetrieveAndGenerateStream.html).
 * `iamAction` is the operation's own action; the IAM policy generator adds the companions.
 */
const RERANK_ACTION = 'bedrock:Rerank'
const RETRIEVE_AND_GENERATE_ACTION = 'bedrock:RetrieveAndGenerate'

/** Where a knowledge base's retrieval configuration names models (vector and managed search). */
function retrievalModels<P extends string> (prefix: P): [
  `${P}.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`,
  `${P}.vectorSearchConfiguration.implicitFilterConfiguration.modelArn`,
  `${P}.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`
] {
  return [
    `${prefix}.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`,
    `${prefix}.vectorSearchConfiguration.implicitFilterConfiguration.modelArn`,
    `${prefix}.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`
  ]
}

const KB_CONFIG = 'body.retrieveAndGenerateConfiguration.knowledgeBaseConfiguration'
const EXTERNAL_CONFIG = 'body.retrieveAndGenerateConfiguration.externalSourcesConfiguration'
const RETRIEVE_AND_GENERATE_IDENTIFIERS: readonly IdentifierLocation[] = [
  `${KB_CONFIG}.modelArn`,
  `${EXTERNAL_CONFIG}.modelArn`,
  `${KB_CONFIG}.knowledgeBaseId`,
  ...retrievalModels(`${KB_CONFIG}.retrievalConfiguration`),
  `${KB_CONFIG}.generationConfiguration.guardrailConfiguration.guardrailId`,
  `${EXTERNAL_CONFIG}.generationConfiguration.guardrailConfiguration.guardrailId`
]

const INLINE_AGENT_IDENTIFIERS: readonly IdentifierLocation[] = [
  'body.foundationModel',
  'body.promptOverrideConfiguration.promptConfigurations[].foundationModel',
  'body.collaborators[].foundationModel',
  'body.collaborators[].promptOverrideConfiguration.promptConfigurations[].foundationModel',
  'body.collaboratorConfigurations[].agentAliasArn',
  'body.collaborators[].collaboratorConfigurations[].agentAliasArn',
  'body.knowledgeBases[].knowledgeBaseId',
  ...retrievalModels('body.knowledgeBases[].retrievalConfiguration'),
  'body.collaborators[].knowledgeBases[].knowledgeBaseId',
  ...retrievalModels('body.collaborators[].knowledgeBases[].retrievalConfiguration'),
  'body.guardrailConfiguration.guardrailIdentifier',
  'body.collaborators[].guardrailConfiguration.guardrailIdentifier'
]

/**
 * The bedrock-agent-runtime operations that run a model (botocore bedrock-agent-runtime/2023-07-26). Every place
 * their requests name a model, an agent alias, a flow alias or a knowledge base is read; what an agent or flow alias
 * runs is resolved (src/routing/agent-destinations.ts) or listed in the config.
 */
export const AGENT_RUNTIME_OPERATIONS: Readonly<Record<AgentRuntimeOperationName, OperationSpec>> = {
  Rerank: operation('POST', '/rerank', RERANK_ACTION, {
    identifiers: ['body.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn']
  }),
  Retrieve: operation('POST', '/knowledgebases/{knowledgeBaseId}/retrieve', 'bedrock:Retrieve', {
    identifiers: [
      'path.knowledgeBaseId',
      ...retrievalModels('body.retrievalConfiguration'),
      'body.guardrailConfiguration.guardrailId'
    ]
  }),
  RetrieveAndGenerate: operation('POST', '/retrieveAndGenerate', RETRIEVE_AND_GENERATE_ACTION,
    { identifiers: RETRIEVE_AND_GENERATE_IDENTIFIERS }),
  RetrieveAndGenerateStream: operation('POST', '/retrieveAndGenerateStream', RETRIEVE_AND_GENERATE_ACTION,
    { streamsResponse: true, identifiers: RETRIEVE_AND_GENERATE_IDENTIFIERS }),
  InvokeAgent: operation('POST', '/agents/{agentId}/agentAliases/{agentAliasId}/sessions/{sessionId}/text', 'bedrock:InvokeAgent', {
    streamsResponse: true,
    identifiers: [
      'path.agentAliasId',
      'header.x-amz-source-arn',
      'body.sessionState.knowledgeBaseConfigurations[].knowledgeBaseId',
      ...retrievalModels('body.sessionState.knowledgeBaseConfigurations[].retrievalConfiguration')
    ]
  }),
  InvokeInlineAgent: operation('POST', '/agents/{sessionId}', 'bedrock:InvokeInlineAgent',
    { streamsResponse: true, identifiers: INLINE_AGENT_IDENTIFIERS }),
  InvokeFlow: operation('POST', '/flows/{flowIdentifier}/aliases/{flowAliasIdentifier}', 'bedrock:InvokeFlow',
    { streamsResponse: true, identifiers: ['path.flowAliasIdentifier'] })
}
