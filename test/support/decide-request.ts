import type { AllowList } from '../../src/config/types.ts'
import type { Decision } from '../../src/core/decision.ts'
import { understandRequest } from '../../src/bedrock/request.ts'
import { decide } from '../../src/policy/engine.ts'
import type { RoutingCatalog } from '../../src/config/routing-catalog.ts'

export interface TestRequest {
  readonly method?: string
  readonly target: string
  readonly headers?: Readonly<Record<string, string | string[]>>
  readonly body?: string
  readonly region: string
}

/** What the gateway does with a request: understand it, then (if it could) decide on it. */
export function decideRequest (request: TestRequest, allow: AllowList, catalog?: RoutingCatalog): Decision {
  const understanding = understandRequest({
    method: request.method ?? 'POST',
    target: request.target,
    headers: request.headers ?? {},
    body: new TextEncoder().encode(request.body ?? '')
  })
  if (!understanding.ok) return understanding.decision
  const facts = { operation: understanding.operation, region: request.region, identifiers: understanding.identifiers }
  return catalog === undefined ? decide(facts, allow) : decide(facts, allow, catalog)
}
