import { encodeLabel, quoteValue } from '../bedrock/index.ts'
import { parseAgentAlias, parseAgentModels, parseFlowAlias, parseFlowReferences } from './agent-control-plane-answers.ts'
import { createControlPlaneTransport } from './control-plane-transport.ts'
import type { AgentControlPlaneClient, ControlPlaneClientOptions } from './types.ts'

/** The working draft of an agent or flow: not a numbered version, read with GetAgent / GetFlow. */
const DRAFT = 'DRAFT'
/** GetFlowVersion / GetFlow answer without the definition unless asked for all of it. */
const ALL_DATA = 'includedData=ALL_DATA'

/**
 * The Bedrock agents control plane (`upstream.agentControlPlaneEndpoint`), paths from botocore
 * bedrock-agent/2023-06-05; see control-plane-transport.ts for signing, deadlines and failures.
 */
export function createAgentControlPlaneClient (options: ControlPlaneClientOptions): AgentControlPlaneClient {
  const { answerOf, close } = createControlPlaneTransport(options)
  return {
    getAgentAlias (region, agentId, agentAliasId) {
      return answerOf({
        operation: 'GetAgentAlias', region, subject: quoteValue(`${agentId}/${agentAliasId}`),
        path: `/agents/${encodeLabel(agentId)}/agentaliases/${encodeLabel(agentAliasId)}/`, rawQuery: ''
      }, parseAgentAlias)
    },

    getAgentModels (region, agentId, version) {
      if (version === DRAFT) {
        return answerOf({ operation: 'GetAgent', region, subject: quoteValue(agentId), path: `/agents/${encodeLabel(agentId)}/`, rawQuery: '' },
          (json) => parseAgentModels(json, 'agent'))
      }
      return answerOf({
        operation: 'GetAgentVersion', region, subject: quoteValue(`${agentId} version ${version}`),
        path: `/agents/${encodeLabel(agentId)}/agentversions/${encodeLabel(version)}/`, rawQuery: ''
      }, (json) => parseAgentModels(json, 'agentVersion'))
    },

    getFlowAlias (region, flowIdentifier, aliasIdentifier) {
      return answerOf({
        operation: 'GetFlowAlias', region, subject: quoteValue(`${flowIdentifier}/${aliasIdentifier}`),
        path: `/flows/${encodeLabel(flowIdentifier)}/aliases/${encodeLabel(aliasIdentifier)}`, rawQuery: ''
      }, parseFlowAlias)
    },

    getFlowReferences (region, flowIdentifier, version) {
      if (version === DRAFT) {
        return answerOf({ operation: 'GetFlow', region, subject: quoteValue(flowIdentifier), path: `/flows/${encodeLabel(flowIdentifier)}/`, rawQuery: ALL_DATA },
          parseFlowReferences)
      }
      return answerOf({
        operation: 'GetFlowVersion', region, subject: quoteValue(`${flowIdentifier} version ${version}`),
        path: `/flows/${encodeLabel(flowIdentifier)}/versions/${encodeLabel(version)}/`, rawQuery: ALL_DATA
      }, parseFlowReferences)
    },

    close
  }
}
