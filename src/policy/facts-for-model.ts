import {
  agentRuntimeSubject,
  checkModelIdText,
  MODEL_ID_LOCATIONS,
  isOperationName,
  OPERATIONS,
  parseModelId,
  quoteValue
} from '../bedrock/index.ts'
import type { RequestFacts } from './types.ts'
import { type Decision, deny } from '../core/index.ts'

export type FactsForModel = { readonly ok: true; readonly facts: RequestFacts } | { readonly ok: false; readonly decision: Decision }

/**
 * Facts for `explain --region R --model ID --operation OP`: for InvokeAgent, InvokeFlow and Retrieve, ID is the agent
 * alias, flow alias or knowledge base (agent-runtime-identifiers.ts); otherwise the model id as a client's SDK would pass it (decoded, so
 * an ARN keeps its raw `/`), parsed by the same code the gateway uses. A refusal here is already the decision.
 */
export function factsForModel (operation: string, region: string, modelId: string): FactsForModel {
  if (!isOperationName(operation)) {
    return { ok: false, decision: deny('UNKNOWN_OPERATION', `${quoteValue(operation)} is not a Bedrock runtime operation`) }
  }
  const subject = agentRuntimeSubject(operation, modelId)
  if (subject !== undefined) {
    const { read, location } = subject
    if (!read.ok) return { ok: false, decision: deny(read.reason, read.message) }
    return read.id === undefined
      ? { ok: false, decision: deny('MALFORMED_REQUEST', `operation ${operation} takes no such identifier`) }
      : { ok: true, facts: { operation, region, identifiers: [{ location, id: read.id }] } }
  }
  const spec = OPERATIONS[operation]
  const location = spec.identifiers.find((candidate) => MODEL_ID_LOCATIONS.has(candidate))
  if (location === undefined) return { ok: false, decision: deny('MALFORMED_REQUEST', `operation ${operation} takes no model id`) }
  const checked = checkModelIdText(modelId, spec.modelIdMaxLength)
  if (!checked.ok) return { ok: false, decision: deny('MALFORMED_REQUEST', checked.message) }
  const parsed = parseModelId(checked.text)
  if (!parsed.ok) return { ok: false, decision: deny(parsed.reason, parsed.message) }
  return { ok: true, facts: { operation, region, identifiers: [{ location, id: parsed.id }] } }
}
