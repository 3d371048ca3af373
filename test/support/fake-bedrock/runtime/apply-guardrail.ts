import { FAKE_LATENCY_MS } from '../constants.ts'
import { jsonBodyOrRefuse, type RuntimeContext } from './context.ts'

const CHARACTERS_PER_POLICY_UNIT = 1000

/** The characters of text an ApplyGuardrail request asks to check. */
function guardedCharacters (request: Record<string, unknown>): number {
  const content = Array.isArray(request.content) ? request.content as Array<{ text?: { text?: unknown } }> : []
  return content.reduce((total, block) => total + (typeof block.text?.text === 'string' ? block.text.text.length : 0), 0)
}

/** The guardrail never intervenes: action NONE, no outputs, one assessment carrying the invocation metrics. */
export async function answerApplyGuardrail (context: RuntimeContext): Promise<void> {
  const request = jsonBodyOrRefuse(context)
  if (request === undefined) return
  if (request.source !== 'INPUT' && request.source !== 'OUTPUT') {
    context.exchange.sendError('ValidationException', "'source' must be INPUT or OUTPUT.")
    return
  }
  const characters = guardedCharacters(request)
  const units = Math.ceil(characters / CHARACTERS_PER_POLICY_UNIT)
  const usage = {
    topicPolicyUnits: units,
    contentPolicyUnits: units,
    wordPolicyUnits: units,
    sensitiveInformationPolicyUnits: units,
    sensitiveInformationPolicyFreeUnits: 0,
    contextualGroundingPolicyUnits: 0
  }
  const guardrailCoverage = { textCharacters: { guarded: characters, total: characters } }
  await context.exchange.sendJson(200, {
    usage,
    action: 'NONE',
    actionReason: 'No action.',
    outputs: [],
    assessments: [{ invocationMetrics: { guardrailProcessingLatency: FAKE_LATENCY_MS, usage, guardrailCoverage } }],
    guardrailCoverage
  })
}
