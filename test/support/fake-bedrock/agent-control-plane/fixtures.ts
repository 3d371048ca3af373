import { FAKE_ACCOUNT_ID } from '../constants.ts'

/**
 * bedrock-agent fixtures in the wire shapes of botocore bedrock-agent/2023-06-05 (GetAgentAlias, GetAgentVersion,
 * GetAgent, GetFlowAlias, GetFlowVersion, GetFlow), each tied to the region it lives in.
 */

export interface AgentFixture {
  readonly sourceRegion: string
  /** Ten letters and digits. */
  readonly agentId: string
  /** Alias id -> the agent version it routes to (`DRAFT` or a number). */
  readonly aliases: Readonly<Record<string, string>>
  /** Agent version (`DRAFT` included) -> the foundation model it runs. */
  readonly models: Readonly<Record<string, string>>
  /** `SUPERVISOR` for an agent whose collaborators run their own models. */
  readonly agentCollaboration?: string
}

export interface FlowFixture {
  readonly sourceRegion: string
  readonly flowId: string
  /** Alias id -> flow version. */
  readonly aliases: Readonly<Record<string, string>>
  /** Flow version -> the model ids of its prompt nodes. */
  readonly promptModels: Readonly<Record<string, readonly string[]>>
}

const FIXTURE_TIME = '2025-01-15T10:00:00Z'

export function agentAliasArn (region: string, agentId: string, aliasId: string): string {
  return `arn:aws:bedrock:${region}:${FAKE_ACCOUNT_ID}:agent-alias/${agentId}/${aliasId}`
}

export function flowAliasArn (region: string, flowId: string, aliasId: string): string {
  return `arn:aws:bedrock:${region}:${FAKE_ACCOUNT_ID}:flow/${flowId}/alias/${aliasId}`
}

export function agentAliasAnswer (agent: AgentFixture, aliasId: string, version: string): unknown {
  return {
    agentAlias: {
      agentId: agent.agentId,
      agentAliasId: aliasId,
      agentAliasName: `alias-${aliasId}`,
      agentAliasArn: agentAliasArn(agent.sourceRegion, agent.agentId, aliasId),
      routingConfiguration: [{ agentVersion: version }],
      createdAt: FIXTURE_TIME,
      updatedAt: FIXTURE_TIME,
      agentAliasStatus: 'PREPARED'
    }
  }
}

export function agentVersionAnswer (agent: AgentFixture, version: string, model: string): unknown {
  const description = {
    agentId: agent.agentId,
    agentName: `agent-${agent.agentId}`,
    agentArn: `arn:aws:bedrock:${agent.sourceRegion}:${FAKE_ACCOUNT_ID}:agent/${agent.agentId}`,
    agentStatus: 'PREPARED',
    foundationModel: model,
    idleSessionTTLInSeconds: 600,
    agentResourceRoleArn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/fake-agent-role`,
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...(agent.agentCollaboration === undefined ? {} : { agentCollaboration: agent.agentCollaboration })
  }
  return version === 'DRAFT'
    ? { agent: { ...description, agentVersion: 'DRAFT' } }
    : { agentVersion: { ...description, version } }
}

export function flowAliasAnswer (flow: FlowFixture, aliasId: string, version: string): unknown {
  return {
    name: `alias-${aliasId}`,
    routingConfiguration: [{ flowVersion: version }],
    flowId: flow.flowId,
    id: aliasId,
    arn: flowAliasArn(flow.sourceRegion, flow.flowId, aliasId),
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME
  }
}

export function flowVersionAnswer (flow: FlowFixture, version: string, models: readonly string[]): unknown {
  return {
    name: `flow-${flow.flowId}`,
    executionRoleArn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/fake-flow-role`,
    id: flow.flowId,
    arn: `arn:aws:bedrock:${flow.sourceRegion}:${FAKE_ACCOUNT_ID}:flow/${flow.flowId}`,
    status: 'Prepared',
    createdAt: FIXTURE_TIME,
    version,
    definition: {
      nodes: [
        { name: 'FlowInputNode', type: 'Input', configuration: { input: {} }, outputs: [{ name: 'document', type: 'String' }] },
        ...models.map((modelId, index) => ({
          name: `Prompt${index}`,
          type: 'Prompt',
          configuration: { prompt: { sourceConfiguration: { inline: { templateType: 'TEXT', templateConfiguration: { text: { text: '{{document}}' } }, modelId } } } }
        })),
        { name: 'FlowOutputNode', type: 'Output', configuration: { output: {} } }
      ],
      connections: []
    }
  }
}
