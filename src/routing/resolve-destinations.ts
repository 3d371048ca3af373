import { parseArn, quoteValue, RESOURCE_ROUTING } from '../bedrock/index.ts'
import { ControlPlaneError } from './control-plane-failure.ts'
import type { ControlPlaneClient, ControlPlaneOperation } from './types.ts'
import { ANY_REGION, type RoutedDestination, type VerifiedRouting } from '../policy/index.ts'

/** Lookups in one chain: a router, the profile it names, and that profile's models. AWS nests no deeper. */
export const MAX_RESOLUTION_DEPTH = 3
const VIA_SEPARATOR = ' -> '
const ROUTER_TYPES: ReadonlySet<string> = new Set(['prompt-router', 'default-prompt-router'])

interface Step {
  readonly client: ControlPlaneClient
  readonly region: string
  readonly identifier: string
  /** The identifier the resolution started from, for messages. */
  readonly root: string
  /** `region identifier` of every lookup above this one, to refuse loops. */
  readonly chain: readonly string[]
  /** How the answers reached this identifier, for `via`. */
  readonly via: readonly string[]
}

/**
 * Where `identifier` (a system profile id, or a profile or prompt-router ARN), called in `region`, can run: every
 * region the control plane's answers lead to, following profile and router ARNs in those answers (each looked up in
 * its own ARN's region) up to MAX_RESOLUTION_DEPTH lookups deep. Rejects with a ControlPlaneError.
 */
export async function resolveDestinations (client: ControlPlaneClient, region: string, identifier: string): Promise<VerifiedRouting> {
  const destinations = await destinationsOf({ client, region, identifier, root: identifier, chain: [], via: [] })
  const regions = [...new Set(destinations.map((destination) => destination.region))].sort()
  return { verified: true, regions, destinations }
}

async function destinationsOf (step: Step): Promise<RoutedDestination[]> {
  const operation = lookupOperation(step.identifier)
  const key = `${step.region} ${step.identifier}`
  if (step.chain.includes(key)) {
    throw new ControlPlaneError('too-deep', operation, `the answers about ${quoteValue(step.root)} lead back to ${quoteValue(step.identifier)}`)
  }
  if (step.chain.length >= MAX_RESOLUTION_DEPTH) {
    throw new ControlPlaneError('too-deep', operation,
      `the answers about ${quoteValue(step.root)} nest more than ${MAX_RESOLUTION_DEPTH} profiles or routers deep`)
  }
  const models = operation === 'GetPromptRouter'
    ? await routerModels(step)
    : (await step.client.getInferenceProfile(step.region, step.identifier)).modelArns.map((modelArn, index) => ({ field: `models[${index}]`, modelArn }))
  const chain = [...step.chain, key]
  const nested = await Promise.all(models.map(({ field, modelArn }) =>
    destinationsOfModel({ ...step, chain, via: [...step.via, field] }, modelArn, operation)))
  return nested.flat()
}

async function routerModels (step: Step): Promise<Array<{ field: string; modelArn: string }>> {
  const router = await step.client.getPromptRouter(step.region, step.identifier)
  return [
    ...router.modelArns.map((modelArn, index) => ({ field: `models[${index}]`, modelArn })),
    { field: 'fallbackModel', modelArn: router.fallbackModelArn }
  ]
}

/** One model reference from an answer: a region, or another profile or router to look up in its own region. */
async function destinationsOfModel (step: Step, modelArn: string, answeredBy: ControlPlaneOperation): Promise<RoutedDestination[]> {
  const via = step.via.join(VIA_SEPARATOR)
  const parsed = parseArn(modelArn)
  if (!parsed.ok) throw new ControlPlaneError('malformed-answer', answeredBy, `${answeredBy} named a model the gateway cannot place at ${via}: ${parsed.message}`)
  const { arn } = parsed
  const reach = RESOURCE_ROUTING[arn.resourceType]
  if (reach === 'single-region') return [{ region: arn.region === '' ? ANY_REGION : arn.region, via }]
  if (reach === 'prefix-routed' || reach === 'resolved') {
    return destinationsOf({ ...step, region: arn.region, identifier: modelArn, via: [...step.via, `${arn.resourceType}/${arn.resourceId}`] })
  }
  throw new ControlPlaneError('malformed-answer', answeredBy, `${answeredBy} named a ${arn.resourceType} at ${via}, which the gateway cannot place`)
}

function lookupOperation (identifier: string): ControlPlaneOperation {
  const parsed = parseArn(identifier)
  return parsed.ok && ROUTER_TYPES.has(parsed.arn.resourceType) ? 'GetPromptRouter' : 'GetInferenceProfile'
}
