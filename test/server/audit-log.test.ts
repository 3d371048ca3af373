import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as setImmediatePromise } from 'node:timers/promises'
import { symbols, type Logger } from 'pino'
import type { Test } from 'tap'
import { auditRecord, createLogger, isoTimeField, type AuditEntry } from '../../src/server/audit-log.ts'
import { UNMEASURED_CHILD_ENV } from '../support/unmeasured-child.ts'

const SECRETS = {
  authorization: 'AWS4-HMAC-SHA256 Credential=GEOFENCELITELLM01/20261127/eu-west-2/bedrock/aws4_request, Signature=c0ffee5ec7e7',
  bearer: 'Bearer bgk-super-secret-bearer-key',
  securityToken: 'IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN',
  cookie: 'session=s3cr3t-cookie-value',
  apiKey: 'x-api-key-secret-value',
  clientSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCLIENTSECRET',
  awsSecret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbUPSTREAMSECRET',
  keyDigest: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  prompt: 'Tell me the launch codes'
}

function fileLogger (t: Test, level = 'info', pretty = false): { logger: Logger; output: () => string } {
  const path = join(t.testdir(), 'log')
  const logger = createLogger({ level, pretty, destination: path })
  return {
    logger,
    output: () => {
      logger.flush()
      return readFileSync(path, 'utf8')
    }
  }
}

function lines (text: string): Array<Record<string, unknown>> {
  return text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
}

const ALLOWED_ENTRY: AuditEntry = {
  requestId: '0b9e4e4e-3c1a-4a5e-9d7b-2f1f6b0c9a11',
  upstreamRequestId: '7d3c2a1e-9f8b-4c6d-a5e4-3b2a1f0e9d8c',
  client: 'litellm',
  operation: 'ConverseStream',
  region: 'eu-west-2',
  model: { kind: 'inference-profile', text: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0', prefix: 'eu' },
  decision: 'allowed',
  reason: 'ALLOWED',
  status: 200,
  upstreamStatus: 200,
  latencyMs: 1834.5,
  bytesIn: 2048,
  bytesOut: 9120,
  usage: { inputTokens: 25, outputTokens: 310 }
}

const DENIED_ENTRY: AuditEntry = {
  requestId: '5d1f0f55-0e0c-4f8a-8d55-8f3c2b1a0e22',
  client: 'litellm',
  operation: 'Converse',
  region: 'eu-west-2',
  model: {
    kind: 'arn',
    text: 'arn:aws:bedrock:eu-west-3:111122223333:inference-profile/global.anthropic.claude-sonnet-4-v1:0',
    prefix: 'global',
    arn: {
      partition: 'aws',
      service: 'bedrock',
      region: 'eu-west-3',
      account: '111122223333',
      resourceType: 'inference-profile',
      resourceId: 'global.anthropic.claude-sonnet-4-v1:0',
      text: 'arn:aws:bedrock:eu-west-3:111122223333:inference-profile/global.anthropic.claude-sonnet-4-v1:0'
    }
  },
  decision: 'denied',
  reason: 'GLOBAL_PROFILE_NOT_ALLOWED',
  errorType: 'AccessDeniedException',
  status: 403,
  latencyMs: 0.4,
  bytesIn: 310
}

t.test('an allowed request is one JSON line at info with every audit field', async (t) => {
  const { logger, output } = fileLogger(t)
  auditRecord(logger, ALLOWED_ENTRY)
  const records = lines(output())
  t.equal(records.length, 1)
  t.match(records[0], {
    level: 'info',
    time: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    requestId: '0b9e4e4e-3c1a-4a5e-9d7b-2f1f6b0c9a11',
    upstreamRequestId: '7d3c2a1e-9f8b-4c6d-a5e4-3b2a1f0e9d8c',
    client: 'litellm',
    operation: 'ConverseStream',
    region: 'eu-west-2',
    modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
    modelKind: 'inference-profile',
    profilePrefix: 'eu',
    decision: 'allowed',
    reason: 'ALLOWED',
    status: 200,
    upstreamStatus: 200,
    latencyMs: 1834.5,
    bytesIn: 2048,
    bytesOut: 9120,
    inputTokens: 25,
    outputTokens: 310
  })
})

t.test('a denial logs at warn, naming the ARN\'s resource type and prefix', async (t) => {
  const { logger, output } = fileLogger(t)
  auditRecord(logger, DENIED_ENTRY)
  t.match(lines(output())[0], {
    level: 'warn',
    decision: 'denied',
    reason: 'GLOBAL_PROFILE_NOT_ALLOWED',
    errorType: 'AccessDeniedException',
    status: 403,
    modelKind: 'inference-profile',
    profilePrefix: 'global'
  })
})

t.test('facts that are not known are left out rather than logged empty', async (t) => {
  const { logger, output } = fileLogger(t)
  auditRecord(logger, { requestId: 'r-1', client: 'unauthenticated', decision: 'unauthenticated', errorType: 'UnrecognizedClientException', status: 403, latencyMs: 0.2, bytesIn: 0 })
  const record = lines(output())[0] ?? {}
  for (const absent of ['upstreamRequestId', 'operation', 'region', 'modelId', 'modelKind', 'profilePrefix', 'upstreamStatus', 'shedCause', 'inputTokens', 'outputTokens']) {
    t.notOk(absent in record, `${absent} is absent`)
  }
})

t.test('the log level filters audit lines: at warn only refusals remain', async (t) => {
  const { logger, output } = fileLogger(t, 'warn')
  auditRecord(logger, ALLOWED_ENTRY)
  auditRecord(logger, DENIED_ENTRY)
  t.same(lines(output()).map((record) => record.requestId), [DENIED_ENTRY.requestId])
})

/** Everything a careless log call could hand the logger: request and upstream headers, credentials, config, bodies. */
const CARELESS_LOG_OBJECT = {
  authorization: SECRETS.bearer,
  req: { method: 'POST', url: '/model/x/converse', headers: { authorization: SECRETS.authorization, 'x-amz-security-token': SECRETS.securityToken, cookie: SECRETS.cookie, host: 'gateway:8080' } },
  headers: { 'x-api-key': SECRETS.apiKey, Authorization: SECRETS.bearer },
  upstream: { headers: { 'X-Amz-Security-Token': SECRETS.securityToken } },
  credentials: { accessKeyId: 'ASIAFAKEUPSTREAM', secretAccessKey: SECRETS.awsSecret, sessionToken: SECRETS.securityToken },
  config: { clients: [{ name: 'litellm', accessKeyId: 'GEOFENCELITELLM01', secretAccessKey: SECRETS.clientSecret }, { name: 'batch', apiKeySha256: SECRETS.keyDigest }] },
  body: SECRETS.prompt
}

t.test('credentials, cookies and bodies are redacted at the logger', async (t) => {
  const { logger, output } = fileLogger(t)
  logger.info(CARELESS_LOG_OBJECT, 'careless')
  const text = output()
  for (const [name, secret] of Object.entries(SECRETS)) t.notOk(text.includes(secret), `${name} is not in the log`)
  const record = lines(text)[0] as typeof CARELESS_LOG_OBJECT
  t.equal(record.req.headers.authorization, '[REDACTED]')
  t.equal(record.req.headers.host, 'gateway:8080', 'harmless headers stay')
  t.equal(record.credentials.accessKeyId, 'ASIAFAKEUPSTREAM', 'key ids are not secrets')
  t.equal(record.config.clients[0]?.secretAccessKey, '[REDACTED]')
})

t.test('redaction never changes the object that was logged', async (t) => {
  const { logger } = fileLogger(t)
  const headers = { authorization: SECRETS.authorization }
  logger.info({ req: { headers } })
  t.equal(headers.authorization, SECRETS.authorization)
})

t.test('pretty output is for humans and still redacted', async (t) => {
  const { logger, output } = fileLogger(t, 'info', true)
  const transport = (logger as unknown as Record<symbol, NodeJS.WritableStream>)[symbols.streamSym] as NodeJS.WritableStream
  auditRecord(logger, DENIED_ENTRY)
  logger.info(CARELESS_LOG_OBJECT, 'careless')
  // The worker thread drops an end() that comes before it is up, and it is unref'd: a timer keeps this test's
  // event loop alive until the worker has written everything and closed.
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(keepAlive))
  await once(transport, 'ready')
  transport.end()
  await once(transport, 'close')
  const text = output()
  t.match(text, /WARN.*bedrock request/)
  t.throws(() => JSON.parse(text.split('\n')[0] ?? ''), 'not JSON lines')
  for (const [name, secret] of Object.entries(SECRETS)) t.notOk(text.includes(secret), `${name} is not in the log`)
})

t.test('audit lines keep every field, a client named like a redaction container included', async (t) => {
  const { logger, output } = fileLogger(t)
  auditRecord(logger, ALLOWED_ENTRY)
  logger.info({ client: { apiKey: SECRETS.apiKey } }, 'careless')
  const [audit, careless] = lines(output())
  t.match(audit, { msg: 'bedrock request', requestId: ALLOWED_ENTRY.requestId, client: 'litellm', modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0', decision: 'allowed', bytesOut: 9120 })
  t.same(careless?.client, { apiKey: '[REDACTED]' }, 'other lines through the same logger are still redacted')
})

t.test('audit lines follow a log level changed after the first one', async (t) => {
  const { logger, output } = fileLogger(t)
  auditRecord(logger, ALLOWED_ENTRY)
  logger.level = 'warn'
  auditRecord(logger, { ...ALLOWED_ENTRY, requestId: 'after-reload' })
  auditRecord(logger, DENIED_ENTRY)
  t.same(lines(output()).map((record) => record.requestId), [ALLOWED_ENTRY.requestId, DENIED_ENTRY.requestId])
})

t.test('the time field is the ISO time of the moment to the millisecond, whichever second came before', async (t) => {
  const start = Date.parse('2026-11-27T23:59:59.000Z')
  const moments = [start, start + 7, start + 42, start + 999, start + 1000, start + 1001, start + 60_999, start - 1, start + 86_400_123, start + 5]
  for (const now of moments) t.equal(isoTimeField(now), `,"time":"${new Date(now).toISOString()}"`, new Date(now).toISOString())
})

t.test('the lines of one event-loop turn reach the destination together once the turn ends, in order', async (t) => {
  const path = join(t.testdir(), 'log')
  const logger = createLogger({ level: 'info', pretty: false, destination: path })
  for (const requestId of ['first', 'second', 'third']) auditRecord(logger, { ...ALLOWED_ENTRY, requestId })
  t.equal(readFileSync(path, 'utf8'), '', 'nothing is written line by line')
  await setImmediatePromise()
  t.same(lines(readFileSync(path, 'utf8')).map((line) => line.requestId), ['first', 'second', 'third'])
})

/** A process that logs two audit lines and then ends the way `how` says, in the same turn. */
const ENDINGS = {
  'process.exit': 'process.exit(0)',
  'an uncaught exception': "throw new Error('crash')",
  'an unhandled rejection': "void Promise.reject(new Error('crash'))"
} as const

for (const [how, ending] of Object.entries(ENDINGS)) {
  t.test(`lines logged just before ${how} are still written`, async (t) => {
    const path = join(t.testdir(), 'log')
    const script = [
      `import { auditRecord, createLogger } from ${JSON.stringify(new URL('../../src/server/audit-log.ts', import.meta.url).href)}`,
      `const logger = createLogger({ level: 'info', pretty: false, destination: ${JSON.stringify(path)} })`,
      `auditRecord(logger, ${JSON.stringify({ ...DENIED_ENTRY, requestId: 'before-the-end-1' })})`,
      `auditRecord(logger, ${JSON.stringify({ ...DENIED_ENTRY, requestId: 'before-the-end-2' })})`,
      ending
    ].join('\n')
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      stdio: 'ignore',
      env: { ...process.env, ...UNMEASURED_CHILD_ENV }
    })
    await once(child, 'exit')
    t.same(lines(readFileSync(path, 'utf8')).map((line) => line.requestId), ['before-the-end-1', 'before-the-end-2'])
  })
}
