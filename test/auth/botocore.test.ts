import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { authenticate } from '../../src/auth/authenticate.ts'
import { indexClients } from '../../src/auth/client-index.ts'
import { BedrockError } from '../../src/core/errors.ts'
import { pythonEnv, runPython } from '../support/python-env.ts'
import { LITELLM_KEY_ID, LITELLM_SECRET, batchClient, litellmClient } from './fixtures/clients.ts'

const SCRIPT = fileURLToPath(new URL('./fixtures/sign_with_botocore.py', import.meta.url))
const keys = indexClients([litellmClient, batchClient])
const limits = { clockSkewSeconds: 300 }

const ENCODED_PROFILE_ARN = 'arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Ainference-profile%2Feu.anthropic.claude-3-7-sonnet-20250219-v1%3A0'
const PROFILE_ARN = decodeURIComponent(ENCODED_PROFILE_ARN)
const ENCODED_ASYNC_ARN = 'arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Aasync-invoke%2Fabc123def456'
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE='
const CONVERSE_BODY = { messages: [{ role: 'user', content: [{ text: 'hello' }] }] }

interface Job {
  readonly title: string
  /** The request target the gateway is expected to receive. */
  readonly expectedTarget: string
  readonly region: string
  readonly job: Record<string, unknown>
}

const litellm = (title: string, method: string, path: string, region: string, extra: Record<string, unknown> = {}): Job => ({
  title: `LiteLLM: ${title}`,
  expectedTarget: path,
  region,
  job: { kind: 'litellm', method, path, region, body: CONVERSE_BODY, ...extra }
})

const boto3 = (title: string, expectedTarget: string, region: string, operation: string, params: Record<string, unknown>,
  extra: Record<string, unknown> = {}): Job => ({
  title: `boto3: ${title}`,
  expectedTarget,
  region,
  job: { kind: 'boto3', operation, params, region, ...extra }
})

const jobs: Job[] = [
  litellm('invoke with a raw model id', 'POST', '/model/anthropic.claude-v2:1/invoke', 'eu-west-2'),
  litellm('converse with an encoded profile id', 'POST', '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse', 'us-east-1'),
  litellm('converse with an encoded ARN (%3A and %2F)', 'POST', `/model/${ENCODED_PROFILE_ARN}/converse`, 'eu-west-2'),
  litellm('invoke with an encoded ARN', 'POST', `/model/${ENCODED_PROFILE_ARN}/invoke`, 'eu-west-2'),
  litellm('converse-stream behind a region path prefix', 'POST',
    '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream', 'eu-west-2'),
  litellm('converse with session credentials (signed x-amz-security-token)', 'POST',
    '/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse', 'eu-west-2', { sessionToken: SESSION_TOKEN }),
  litellm('ApplyGuardrail', 'POST', '/guardrail/gr-abc123def456/version/1/apply', 'eu-west-2'),
  litellm('async-invoke status by encoded ARN', 'GET', `/async-invoke/${ENCODED_ASYNC_ARN}`, 'eu-west-2'),
  litellm('an endpoint with a trailing slash (//model)', 'POST', '//model/anthropic.claude-v2:1/invoke', 'eu-west-2'),
  boto3('converse, model id encoded by botocore', '/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse', 'eu-west-2',
    'converse', { modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0', ...CONVERSE_BODY }),
  boto3('invoke_model with an ARN', `/model/${ENCODED_PROFILE_ARN}/invoke`, 'eu-west-2',
    'invoke_model', { modelId: PROFILE_ARN, body: '{}', contentType: 'application/json' }),
  boto3('list_async_invokes (GET with a query)', '/async-invoke?maxResults=10&statusEquals=Completed', 'eu-west-2',
    'list_async_invokes', { maxResults: 10, statusEquals: 'Completed' }),
  boto3('converse behind a path prefix with session credentials', '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse',
    'eu-west-2', 'converse', { modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0', ...CONVERSE_BODY },
    { endpointPath: '/eu-west-2', sessionToken: SESSION_TOKEN }),
  boto3('apply_guardrail', '/guardrail/gr-abc123def456/version/DRAFT/apply', 'eu-west-2',
    'apply_guardrail', { guardrailIdentifier: 'gr-abc123def456', guardrailVersion: 'DRAFT', source: 'INPUT', content: [{ text: { text: 'hi' } }] })
]

interface Outcome {
  readonly target: string
  readonly signedHeaders: string
  readonly client?: string
  readonly region?: string
  readonly error?: string
}

async function bodyOf (request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** A loopback server that authenticates exactly what arrives on the wire, the way the gateway will. */
async function recordingServer (): Promise<{ url: string, outcomes: Outcome[], close: () => Promise<void> }> {
  const outcomes: Outcome[] = []
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const signedHeaders = /SignedHeaders=([^,]*)/.exec(request.headers.authorization ?? '')?.[1] ?? ''
      try {
        const result = authenticate({
          method: request.method ?? '',
          rawPath: request.url ?? '',
          rawHeaders: request.rawHeaders,
          authority: request.headers.host ?? '',
          bodySha256Hex: createHash('sha256').update(body).digest('hex'),
          now: new Date()
        }, keys, limits)
        outcomes.push({ target: request.url ?? '', signedHeaders, client: result.client.name, region: result.region })
      } catch (error) {
        if (!(error instanceof BedrockError)) throw error
        outcomes.push({ target: request.url ?? '', signedHeaders, error: `${error.type}: ${error.message}` })
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    outcomes,
    close: async () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const server = await recordingServer()
t.teardown(server.close)

const run = await runPython(SCRIPT, [server.url, JSON.stringify(jobs.map(({ job }) => job))], pythonEnv({
  GEOFENCE_TEST_ACCESS_KEY_ID: LITELLM_KEY_ID,
  GEOFENCE_TEST_SECRET_ACCESS_KEY: LITELLM_SECRET
}))

t.test('the botocore script sent one request per job', async (t) => {
  t.equal(run.exitCode, 0, run.stderr)
  t.equal(server.outcomes.length, jobs.length)
})

jobs.forEach((job, i) => {
  t.test(`${job.title} is verified, with its scope region`, async (t) => {
    const outcome = server.outcomes[i]
    t.ok(outcome, 'the request arrived')
    if (outcome === undefined) return
    t.equal(outcome.target, job.expectedTarget, 'the path went out as the client writes it')
    t.same({ client: outcome.client, region: outcome.region, error: outcome.error }, { client: 'litellm', region: job.region, error: undefined })
  })
})

t.test('session credentials put x-amz-security-token among the signed headers', async (t) => {
  const withToken = jobs.flatMap((job, i) => job.job.sessionToken === undefined ? [] : [server.outcomes[i]])
  t.equal(withToken.length, 2)
  for (const outcome of withToken) t.match(outcome?.signedHeaders, /x-amz-security-token/)
})
