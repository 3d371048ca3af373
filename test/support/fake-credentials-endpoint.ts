/**
 * A fake ECS container-credentials endpoint, the kind AWS_CONTAINER_CREDENTIALS_FULL_URI points at. Every GET issues
 * fresh credentials ({AccessKeyId, SecretAccessKey, Token, Expiration}) that expire `lifetimeMs` later, so a test can
 * watch a credential provider fetch, cache and refresh. Pass `lookup` to the fake Bedrock as its accepted
 * credentials: it then accepts whichever issued set a request was signed with while that set is unexpired, and
 * answers ExpiredTokenException afterwards.
 *
 *   const endpoint = await startFakeCredentialsEndpoint({ lifetimeMs: 60_000 })
 *   process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url   // or fromHttp({ awsContainerCredentialsFullUri })
 *   const bedrock = await startFakeBedrock({ credentials: endpoint.lookup })
 *   endpoint.fetchCount; endpoint.issued; endpoint.setFailure(500); await endpoint.close()
 */
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { FAKE_ACCOUNT_ID, LOOPBACK_HOST } from './fake-bedrock/constants.ts'
import type { CredentialLookup, UpstreamCredentials } from './fake-bedrock/credentials.ts'

export const CREDENTIALS_PATH = '/v2/credentials/fake-task-role'
const DEFAULT_LIFETIME_MS = 15 * 60 * 1000
const ROLE_ARN = `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/fake-gateway-task-role`
const ACCESS_KEY_PREFIX = 'ASIAFAKE'
const ACCESS_KEY_DIGITS = 12

export interface IssuedCredentials extends UpstreamCredentials {
  readonly sessionToken: string
  readonly expiration: Date
  readonly issuedAt: Date
}

export interface FakeCredentialsEndpointOptions {
  /** How long each issued set stays valid; default 15 minutes. */
  readonly lifetimeMs?: number
  /** When set, requests must carry it as `Authorization` (AWS_CONTAINER_AUTHORIZATION_TOKEN); others get 401. */
  readonly authorizationToken?: string
}

export interface FakeCredentialsEndpoint {
  /** The full URI to fetch credentials from. */
  readonly url: string
  /** Successful fetches so far. */
  readonly fetchCount: number
  /** Every set handed out, oldest first. */
  readonly issued: readonly IssuedCredentials[]
  /** Finds an issued set by access key id (expired ones included, carrying their expiration). */
  readonly lookup: CredentialLookup
  /** Lifetime of sets issued from now on. */
  setLifetime (lifetimeMs: number): void
  /** Answer every fetch with this HTTP status instead of credentials; `undefined` recovers. */
  setFailure (status: number | undefined): void
  close (): Promise<void>
}

function issue (sequence: number, lifetimeMs: number): IssuedCredentials {
  const issuedAt = new Date()
  return {
    accessKeyId: `${ACCESS_KEY_PREFIX}${String(sequence).padStart(ACCESS_KEY_DIGITS, '0')}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(48).toString('base64'),
    expiration: new Date(issuedAt.getTime() + lifetimeMs),
    issuedAt
  }
}

export async function startFakeCredentialsEndpoint (options: FakeCredentialsEndpointOptions = {}): Promise<FakeCredentialsEndpoint> {
  let lifetimeMs = options.lifetimeMs ?? DEFAULT_LIFETIME_MS
  let failureStatus: number | undefined
  const issued: IssuedCredentials[] = []

  const server = createServer((req, res) => {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'GET' || req.url !== CREDENTIALS_PATH) return json(404, { message: 'Not found' })
    if (options.authorizationToken !== undefined && req.headers.authorization !== options.authorizationToken) {
      return json(401, { message: 'Invalid authorization token' })
    }
    if (failureStatus !== undefined) return json(failureStatus, { message: 'Fake credentials endpoint failure' })
    const credentials = issue(issued.length + 1, lifetimeMs)
    issued.push(credentials)
    json(200, {
      RoleArn: ROLE_ARN,
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: credentials.expiration.toISOString()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, LOOPBACK_HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://${LOOPBACK_HOST}:${port}${CREDENTIALS_PATH}`,
    get fetchCount () { return issued.length },
    issued,
    lookup: accessKeyId => issued.find(credentials => credentials.accessKeyId === accessKeyId),
    setLifetime: next => { lifetimeMs = next },
    setFailure: status => { failureStatus = status },
    close: () => new Promise<void>((resolve, reject) => {
      server.close(error => error === undefined ? resolve() : reject(error))
      server.closeAllConnections()
    })
  }
}
