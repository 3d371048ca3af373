import { FAKE_UPSTREAM_CREDENTIALS, MAX_CLOCK_SKEW_MS } from '../constants.ts'
import type { AcceptedCredentials } from '../credentials.ts'
import type { Exchange } from '../exchange.ts'
import { startFakeServer } from '../fake-http-server.ts'
import { paginate } from '../pagination.ts'
import type { FakeHttpService, Fault } from '../types.ts'
import { controlPlaneRoute, type ControlPlaneOperation } from './control-plane-route.ts'
import type { InferenceProfileFixture, PromptRouterFixture } from './fixtures.ts'

export type { ControlPlaneOperation }

const DEFAULT_PAGE_SIZE = 100
const PROFILE_TYPES = ['SYSTEM_DEFINED', 'APPLICATION']

export interface FakeControlPlaneOptions {
  /** Whose signatures are accepted; default FAKE_UPSTREAM_CREDENTIALS. */
  readonly credentials?: AcceptedCredentials
  readonly inferenceProfiles?: readonly InferenceProfileFixture[]
  readonly promptRouters?: readonly PromptRouterFixture[]
  /** ListInferenceProfiles page size when the caller gives no maxResults; default 100. */
  readonly defaultPageSize?: number
  readonly maxClockSkewMs?: number
  /** A fault for every request from the start (as `setFault`). */
  readonly fault?: Fault
}

export interface FakeControlPlane extends FakeHttpService {
  /** Replaces what GetInferenceProfile / ListInferenceProfiles report from now on (e.g. a profile gaining a region). */
  setInferenceProfiles (profiles: readonly InferenceProfileFixture[]): void
  setPromptRouters (routers: readonly PromptRouterFixture[]): void
  /** How many requests for `operation` (and, if given, that decoded identifier) reached the fake, answered or not. */
  lookups (operation?: ControlPlaneOperation, identifier?: string): number
}

/** Starts a fake Bedrock control plane (`bedrock.{region}.amazonaws.com`) on 127.0.0.1 with a random port. */
export async function startFakeControlPlane (options: FakeControlPlaneOptions = {}): Promise<FakeControlPlane> {
  let profiles = options.inferenceProfiles ?? []
  let routers = options.promptRouters ?? []
  const pageSize = options.defaultPageSize ?? DEFAULT_PAGE_SIZE

  async function answer (exchange: Exchange): Promise<void> {
    const route = controlPlaneRoute(exchange.record.method, exchange.record.path)
    const region = exchange.record.region as string
    if (route === undefined) {
      exchange.sendError('UnknownOperationException', `No control-plane operation matches ${exchange.record.method} ${exchange.record.path}`)
      return
    }
    switch (route.operation) {
      case 'GetInferenceProfile': {
        const found = profiles.find(({ sourceRegion, profile }) => sourceRegion === region &&
          (profile.inferenceProfileId === route.identifier || profile.inferenceProfileArn === route.identifier))
        if (found === undefined) {
          exchange.sendError('ResourceNotFoundException', `Inference profile ${route.identifier ?? ''} not found in ${region}.`)
          return
        }
        await exchange.sendJson(200, found.profile)
        return
      }
      case 'ListInferenceProfiles': {
        const type = route.query.get('type')
        if (type !== null && !PROFILE_TYPES.includes(type)) {
          exchange.sendError('ValidationException', `Invalid type: ${type}`)
          return
        }
        const matching = profiles
          .filter(({ sourceRegion, profile }) => sourceRegion === region && (type === null || profile.type === type))
          .map(({ profile }) => profile)
        const page = paginate(matching, route.query.get('maxResults'), route.query.get('nextToken'), pageSize)
        if (!page.ok) {
          exchange.sendError('ValidationException', page.message)
          return
        }
        await exchange.sendJson(200, {
          inferenceProfileSummaries: page.items,
          ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken })
        })
        return
      }
      case 'GetPromptRouter': {
        const found = routers.find(({ sourceRegion, router }) => sourceRegion === region && router.promptRouterArn === route.identifier)
        if (found === undefined) {
          exchange.sendError('ResourceNotFoundException', `Prompt router ${route.identifier ?? ''} not found in ${region}.`)
          return
        }
        await exchange.sendJson(200, found.router)
      }
    }
  }

  const service = await startFakeServer({
    credentials: options.credentials ?? FAKE_UPSTREAM_CREDENTIALS,
    maxClockSkewMs: options.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS,
    retainRequests: true,
    operationOf: (method, rawUrl) => controlPlaneRoute(method, rawUrl)?.operation,
    answer,
    onReset: () => {
      profiles = options.inferenceProfiles ?? []
      routers = options.promptRouters ?? []
      if (options.fault !== undefined) service.setFault(options.fault)
    }
  })
  if (options.fault !== undefined) service.setFault(options.fault)

  return {
    ...service,
    setInferenceProfiles: next => { profiles = next },
    setPromptRouters: next => { routers = next },
    lookups: (operation, identifier) => service.requests.filter(record => {
      const route = controlPlaneRoute(record.method, record.path)
      return route !== undefined && (operation === undefined || route.operation === operation) &&
        (identifier === undefined || route.identifier === identifier)
    }).length
  }
}
