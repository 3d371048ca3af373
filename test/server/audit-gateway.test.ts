/**
 * The audit log of a running gateway, written by the logger `serve` uses (JSON lines, redaction on), read back from
 * its file after real calls with secrets, session tokens and prompts in them.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { loadConfig } from '../../src/config/load-config.ts'
import { AUDIT_MESSAGE, REDACTED, createLogger } from '../../src/server/audit-log.ts'
import { startGateway } from '../../src/server/serve.ts'
import { FAKE_UPSTREAM_CREDENTIALS, sendRaw, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { writeConfig } from '../support/config-file.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { BEARER_CLIENT, SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../support/gateway-harness.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const PROMPT = 'The launch code is 0000-PURPLE-ELEPHANT; keep it out of every log.'
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEFAKE-session-token-for-the-audit-test'
const MESSAGES = [{ role: 'user' as const, content: [{ text: PROMPT }] }]
const AUDIT_FIELDS = ['time', 'level', 'requestId', 'client', 'decision', 'status', 'latencyMs', 'bytesIn']

type Line = Record<string, unknown>

/** Keeps the Authorization header of every request `client` sends, once signed. */
function recordAuthorizations (client: BedrockRuntimeClient): string[] {
  const seen: string[] = []
  client.middlewareStack.add((next) => async (args) => {
    const { headers } = args.request as { headers: Record<string, string> }
    if (headers.authorization !== undefined) seen.push(headers.authorization)
    return next(args)
  }, { step: 'deserialize', priority: 'low', name: 'recordAuthorization' })
  return seen
}

function requestIdOf (error: unknown): string | undefined {
  return (error as { $metadata?: { requestId?: string } }).$metadata?.requestId
}

t.test('one JSON line per request with the documented fields, and no secret or prompt anywhere in the log', async (t) => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const config = await loadConfig(writeConfig(t, testConfigYaml(fake.url, inProcessLimitsYaml())), TEST_ENV)
  const logFile = join(t.testdir(), 'gateway.log')
  const logger = createLogger({ level: 'info', pretty: false, destination: logFile })
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger })
  t.teardown(() => gateway.shutdown())

  const withToken = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, {
    region: 'us-east-1',
    credentials: { ...SIGV4_CLIENT, sessionToken: SESSION_TOKEN }
  })
  const authorizations = recordAuthorizations(withToken)
  const stream = await withToken.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES }))
  for await (const _event of stream.stream ?? []) { /* read to the end */ }
  const denied = await withToken.send(new ConverseCommand({ modelId: 'global.anthropic.claude-sonnet-4-20250514-v1:0', messages: MESSAGES }))
    .then(() => undefined, (error: unknown) => error)
  const bearer = await sendRaw(gateway.url, {
    method: 'POST',
    path: `/us-east-1/model/${encodeURIComponent(CLAUDE)}/converse`,
    headers: { authorization: `Bearer ${BEARER_CLIENT.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: MESSAGES })
  })
  const stranger = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: { ...SIGV4_CLIENT, secretAccessKey: 'a-wrong-secret' } })
  const unauthenticated = await stranger.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES })).then(() => undefined, (error: unknown) => error)
  // The logger the gateway runs with, handed what a careless log call might pass it.
  gateway.logger.info({ headers: { authorization: authorizations[0], 'x-amz-security-token': SESSION_TOKEN }, body: PROMPT }, 'careless')
  gateway.logger.flush()

  const text = readFileSync(logFile, 'utf8')
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Line)
  const audit = lines.filter((line) => line.msg === AUDIT_MESSAGE)

  t.test('one line per request, each naming the request id the caller got back', async (t) => {
    t.equal(audit.length, 4)
    // A forwarded answer carries Bedrock's own request id (what AWS support asks for); a refusal carries the gateway's.
    t.same(audit.map((line) => line.upstreamRequestId ?? line.requestId), [
      stream.$metadata.requestId,
      requestIdOf(denied),
      bearer.headers['x-amzn-requestid'],
      requestIdOf(unauthenticated)
    ])
    t.equal(new Set(audit.map((line) => line.requestId)).size, 4, 'and every line has a gateway request id of its own')
    for (const line of audit) for (const field of AUDIT_FIELDS) t.ok(field in line, `${String(line.decision)} line has ${field}`)
  })

  t.test('the allowed stream: who, what, where, the verdict, and its cost', async (t) => {
    t.match(audit[0], {
      level: 'info',
      client: SIGV4_CLIENT.name,
      operation: 'ConverseStream',
      region: 'us-east-1',
      modelId: CLAUDE,
      modelKind: 'foundation-model',
      decision: 'allowed',
      reason: 'ALLOWED',
      status: 200,
      upstreamStatus: 200,
      bytesIn: Number,
      bytesOut: Number,
      inputTokens: Number,
      outputTokens: Number
    })
  })

  t.test('the denial logs at warn with its reason and the profile prefix', async (t) => {
    t.match(audit[1], {
      level: 'warn',
      decision: 'denied',
      reason: 'GLOBAL_PROFILE_NOT_ALLOWED',
      errorType: 'AccessDeniedException',
      status: 403,
      modelKind: 'inference-profile',
      profilePrefix: 'global'
    })
    t.notOk('upstreamStatus' in (audit[1] ?? {}), 'nothing went upstream')
  })

  t.test('the bearer caller and the unauthenticated one', async (t) => {
    t.match(audit[2], { level: 'info', client: BEARER_CLIENT.name, operation: 'Converse', decision: 'allowed', status: 200 })
    t.match(audit[3], { level: 'warn', client: 'unauthenticated', decision: 'unauthenticated', status: 403 })
  })

  t.test('no secret, signature, token or prompt text appears anywhere in the log output', async (t) => {
    const signatures = authorizations.map((header) => /Signature=([0-9a-f]{64})/.exec(header)?.[1])
    t.equal(signatures.length, 2, 'two signed requests were sent')
    const secrets: Record<string, string> = {
      'the client secret': SIGV4_CLIENT.secretAccessKey,
      'the session token': SESSION_TOKEN,
      'the bearer key': BEARER_CLIENT.apiKey,
      'the prompt': PROMPT,
      'a fragment of the prompt': 'PURPLE-ELEPHANT',
      'the upstream secret': FAKE_UPSTREAM_CREDENTIALS.secretAccessKey,
      'the reply text': fake.replyText
    }
    signatures.forEach((signature, i) => { secrets[`signature ${i + 1}`] = signature ?? 'missing signature' })
    for (const [name, secret] of Object.entries(secrets)) t.notOk(text.includes(secret), `${name} is not in the log`)
    t.match(lines.find((line) => line.msg === 'careless'), { headers: { authorization: REDACTED, 'x-amz-security-token': REDACTED }, body: REDACTED },
      'the gateway\'s logger redacts credentials and bodies handed to it')
  })
})
