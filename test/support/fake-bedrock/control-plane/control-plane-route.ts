/** The control-plane operations the fake answers. */
export type ControlPlaneOperation = 'GetInferenceProfile' | 'ListInferenceProfiles' | 'GetPromptRouter'

export interface ControlPlaneRoute {
  readonly operation: ControlPlaneOperation
  /** The identifier label, percent-decoded once (Get operations). */
  readonly identifier?: string
  readonly query: URLSearchParams
}

/** GET /inference-profiles/{inferenceProfileIdentifier}, GET /inference-profiles, GET /prompt-routers/{promptRouterArn}. */
export function controlPlaneRoute (method: string, rawUrl: string): ControlPlaneRoute | undefined {
  if (method !== 'GET') return undefined
  const queryStart = rawUrl.indexOf('?')
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart)
  const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1))
  const segments = rawPath.split('/').slice(1)
  const [collection, rawIdentifier] = segments
  if (collection === 'inference-profiles' && segments.length === 1) return { operation: 'ListInferenceProfiles', query }
  if (segments.length !== 2 || rawIdentifier === undefined || rawIdentifier === '') return undefined
  let identifier: string
  try {
    identifier = decodeURIComponent(rawIdentifier)
  } catch {
    return undefined
  }
  if (collection === 'inference-profiles') return { operation: 'GetInferenceProfile', identifier, query }
  if (collection === 'prompt-routers') return { operation: 'GetPromptRouter', identifier, query }
  return undefined
}
