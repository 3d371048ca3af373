import { encodeLabel, quoteValue } from '../bedrock/index.ts'
import { type ListPage, parseAgentAlias, parseAgentModels, parseFlowAlias, parseFlowReferences, parseListPage } from './agent-control-plane-answers.ts'
import { ControlPlaneError } from './control-plane-failure.ts'
import { stringField } from './control-plane-answers.ts'
import { type ControlPlaneCall, createControlPlaneTransport } from './control-plane-transport.ts'
import type { AgentControlPlaneClient, AgentControlPlaneOperation, ControlPlaneClientOptions, ListedAlias } from './types.ts'

/** The working draft of an agent or flow: not a numbered version, read with GetAgent / GetFlow. */
const DRAFT = 'DRAFT'
/** GetFlowVersion / GetFlow answer without the definition unless asked for all of it. */
const ALL_DATA = 'includedData=ALL_DATA'
/** An account has at most a few hundred agents or flows per region; a longer chain of pages is a loop. */
const MAX_LIST_PAGES = 100
/** ListAgents and ListAgentAliases are POSTs whose body holds only the paging (botocore bedrock-agent/2023-06-05). */
const EMPTY_LIST_BODY = '{}'

/**
 * The Bedrock agents control plane (`upstream.agentControlPlaneEndpoint`), paths from botocore
 * bedrock-agent/2023-06-05; see control-plane-transport.ts for signing, deadlines and failures.
 */
export function createAgentControlPlaneClient (options: ControlPlaneClientOptions): AgentControlPlaneClient {
  const { answerOf, close } = createControlPlaneTransport(options)

  /** Every item of a List call, pages followed: POST calls carry the token in the body, GET calls in the query. */
  async function listAll (operation: AgentControlPlaneOperation, region: string, path: string, member: string, post: boolean): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = []
    const seen = new Set<string>()
    let nextToken: string | undefined
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const call: ControlPlaneCall = post
        ? { operation, region, subject: `(${path})`, path, rawQuery: '', body: nextToken === undefined ? EMPTY_LIST_BODY : JSON.stringify({ nextToken }) }
        : { operation, region, subject: `(${path})`, path, rawQuery: nextToken === undefined ? '' : `nextToken=${encodeLabel(nextToken)}` }
      const answer: ListPage = await answerOf(call, (json) => parseListPage(json, member))
      items.push(...answer.items)
      if (answer.nextToken === undefined) return items
      if (seen.has(answer.nextToken)) throw new ControlPlaneError('malformed-answer', operation, `${operation} in ${region} repeated a page token`)
      seen.add(answer.nextToken)
      nextToken = answer.nextToken
    }
    throw new ControlPlaneError('malformed-answer', operation, `${operation} in ${region} went on for more than ${MAX_LIST_PAGES} pages`)
  }

  return {
    async listAgentAliases (region) {
      const agents = await listAll('ListAgents', region, '/agents/', 'agentSummaries', true)
      const nested = await Promise.all(agents.map(async (agent, index) => {
        const agentId = stringField(agent, 'agentId', `answer.agentSummaries[${index}]`)
        const aliases = await listAll('ListAgentAliases', region, `/agents/${encodeLabel(agentId)}/agentaliases/`, 'agentAliasSummaries', true)
        return aliases.map((alias, aliasIndex): ListedAlias => ({
          kind: 'agent',
          parentId: agentId,
          aliasId: stringField(alias, 'agentAliasId', `answer.agentAliasSummaries[${aliasIndex}]`),
          name: stringField(alias, 'agentAliasName', `answer.agentAliasSummaries[${aliasIndex}]`)
        }))
      }))
      return nested.flat()
    },

    async listFlowAliases (region) {
      const flows = await listAll('ListFlows', region, '/flows/', 'flowSummaries', false)
      const nested = await Promise.all(flows.map(async (flow, index) => {
        const flowId = stringField(flow, 'id', `answer.flowSummaries[${index}]`)
        const aliases = await listAll('ListFlowAliases', region, `/flows/${encodeLabel(flowId)}/aliases`, 'flowAliasSummaries', false)
        return aliases.map((alias, aliasIndex): ListedAlias => ({
          kind: 'flow',
          parentId: flowId,
          aliasId: stringField(alias, 'id', `answer.flowAliasSummaries[${aliasIndex}]`),
          name: stringField(alias, 'name', `answer.flowAliasSummaries[${aliasIndex}]`)
        }))
      }))
      return nested.flat()
    },

    getAgentAlias (region, agentId, agentAliasId) {
      return answerOf({
        operation: 'GetAgentAlias',
        region,
        subject: quoteValue(`${agentId}/${agentAliasId}`),
        path: `/agents/${encodeLabel(agentId)}/agentaliases/${encodeLabel(agentAliasId)}/`,
        rawQuery: ''
      }, parseAgentAlias)
    },

    getAgentModels (region, agentId, version) {
      if (version === DRAFT) {
        return answerOf({ operation: 'GetAgent', region, subject: quoteValue(agentId), path: `/agents/${encodeLabel(agentId)}/`, rawQuery: '' },
          (json) => parseAgentModels(json, 'agent'))
      }
      return answerOf({
        operation: 'GetAgentVersion',
        region,
        subject: quoteValue(`${agentId} version ${version}`),
        path: `/agents/${encodeLabel(agentId)}/agentversions/${encodeLabel(version)}/`,
        rawQuery: ''
      }, (json) => parseAgentModels(json, 'agentVersion'))
    },

    getFlowAlias (region, flowIdentifier, aliasIdentifier) {
      return answerOf({
        operation: 'GetFlowAlias',
        region,
        subject: quoteValue(`${flowIdentifier}/${aliasIdentifier}`),
        path: `/flows/${encodeLabel(flowIdentifier)}/aliases/${encodeLabel(aliasIdentifier)}`,
        rawQuery: ''
      }, parseFlowAlias)
    },

    getFlowReferences (region, flowIdentifier, version) {
      if (version === DRAFT) {
        return answerOf({ operation: 'GetFlow', region, subject: quoteValue(flowIdentifier), path: `/flows/${encodeLabel(flowIdentifier)}/`, rawQuery: ALL_DATA },
          parseFlowReferences)
      }
      return answerOf({
        operation: 'GetFlowVersion',
        region,
        subject: quoteValue(`${flowIdentifier} version ${version}`),
        path: `/flows/${encodeLabel(flowIdentifier)}/versions/${encodeLabel(version)}/`,
        rawQuery: ALL_DATA
      }, parseFlowReferences)
    },

    close
  }
}
