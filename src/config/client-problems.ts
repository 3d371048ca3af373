import type { RawClient, RawConfig } from './schema.ts'
import { REFERENCE_SYNTAX } from './resolve-references.ts'
import { formatPath } from './problem-text.ts'

const NARROWABLE_KEYS = ['regions', 'inferenceProfilePrefixes', 'operations'] as const

function credentialProblems (client: RawClient, at: string): string[] {
  const signsRequests = client.accessKeyId !== undefined || client.secretAccessKey !== undefined
  const bearer = client.apiKeySha256 !== undefined
  if (signsRequests && bearer) {
    return [`${at}: has both accessKeyId/secretAccessKey and apiKeySha256 (expected exactly one way to authenticate)`]
  }
  if (!signsRequests && !bearer) {
    return [`${at}: has no credentials (expected accessKeyId with secretAccessKey, or apiKeySha256)`]
  }
  if (bearer) return []
  if (client.accessKeyId === undefined) return [`${at}.accessKeyId: is missing (expected it alongside secretAccessKey)`]
  return client.secretAccessKey === undefined
    ? [`${at}.secretAccessKey: is missing (expected ${REFERENCE_SYNTAX} alongside accessKeyId)`]
    : []
}

function narrowingProblems (client: RawClient, at: string, config: RawConfig): string[] {
  const problems: string[] = []
  for (const key of NARROWABLE_KEYS) {
    const allowed: readonly string[] = config.allow[key]
    client.allow?.[key]?.forEach((value, index) => {
      if (!allowed.includes(value)) {
        problems.push(`${at}.allow.${key}[${index}]: ${JSON.stringify(value)} is not in allow.${key} ` +
          '(a client\'s allowlist can only narrow the global one)')
      }
    })
  }
  return problems
}

function defaultRegionProblems (client: RawClient, at: string, config: RawConfig): string[] {
  if (client.defaultRegion === undefined) return []
  const where = `${at}.defaultRegion`
  if (client.apiKeySha256 === undefined) {
    return [`${where}: only bearer clients (apiKeySha256) use a default region; SigV4 callers sign for their region`]
  }
  const regions = client.allow?.regions ?? config.allow.regions
  return regions.includes(client.defaultRegion)
    ? []
    : [`${where}: ${JSON.stringify(client.defaultRegion)} is not among the client's allowed regions`]
}

/** A value every client must hold alone: two clients sharing it could not be told apart. */
const UNIQUE_KEYS = ['name', 'accessKeyId', 'apiKeySha256'] as const

function uniquenessProblems (clients: readonly RawClient[]): string[] {
  const problems: string[] = []
  for (const key of UNIQUE_KEYS) {
    const firstUse = new Map<string, number>()
    clients.forEach((client, index) => {
      const value = client[key]
      if (value === undefined) return
      const earlier = firstUse.get(value)
      if (earlier === undefined) {
        firstUse.set(value, index)
      } else {
        problems.push(`${formatPath(['clients', index, key])}: ${JSON.stringify(value)} is already used by ` +
          `${formatPath(['clients', earlier])} (expected each client's ${key} to be unique)`)
      }
    })
  }
  return problems
}

/** Everything about `clients` that the schema alone cannot say. */
export function clientProblems (config: RawConfig): string[] {
  const perClient = config.clients.flatMap((client, index) => {
    const at = formatPath(['clients', index])
    return [
      ...credentialProblems(client, at),
      ...narrowingProblems(client, at, config),
      ...defaultRegionProblems(client, at, config)
    ]
  })
  return [...perClient, ...uniquenessProblems(config.clients)]
}
