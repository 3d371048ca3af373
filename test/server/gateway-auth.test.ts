import t from 'tap'
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { sendRaw, sendSigned } from '../support/fake-bedrock/index.ts'
import { SDK_TRANSPORTS, assertBedrockError, gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { BEARER_CLIENT, SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const CONVERSE_PATH = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const CONVERSE_BODY = JSON.stringify({ messages: MESSAGES })
const UNRECOGNIZED_MESSAGE = 'The security token included in the request is invalid.'
const UNKNOWN_KEY = { accessKeyId: 'GEOFENCENOSUCHKEY001', secretAccessKey: 'whatever-secret' }
const WRONG_SECRET = { accessKeyId: SIGV4_CLIENT.accessKeyId, secretAccessKey: 'not-the-issued-secret' }
const TEN_MINUTES_MS = 10 * 60 * 1000

const converse = new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES })

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}`, async (t) => {
    t.test('an unknown key id: 403 UnrecognizedClientException with AWS\'s wording, nothing forwarded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: UNKNOWN_KEY })
      await t.rejects(client.send(converse), { name: 'UnrecognizedClientException', message: UNRECOGNIZED_MESSAGE, $metadata: { httpStatusCode: 403 } })
      t.equal(fake.requests.length, 0)
    })

    t.test('a signature made with the wrong secret: 403 InvalidSignatureException, nothing forwarded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: WRONG_SECRET })
      await t.rejects(client.send(converse), { name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } })
      t.equal(fake.requests.length, 0)
    })

    t.test('a client clock ten minutes slow: 403 "Signature expired", nothing forwarded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT, systemClockOffsetMs: -TEN_MINUTES_MS })
      await t.rejects(client.send(converse), { message: /^Signature expired: /, $metadata: { httpStatusCode: 403 } })
      t.equal(fake.requests.length, 0)
    })

    t.test('a bearer client with an /eu-west-2 endpoint prefix is served in eu-west-2', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, `${gateway.url}/eu-west-2`, { region: 'eu-west-2', bearerToken: BEARER_CLIENT.apiKey })
      const reply = await client.send(converse)
      t.equal(reply.output?.message?.content?.[0]?.text, fake.lastResponseText)
      t.match(fake.requests[0], { path: CONVERSE_PATH, region: 'eu-west-2', signature: { ok: true } })
      t.equal(fake.requests[0]?.headers.authorization?.startsWith('AWS4-HMAC-SHA256 '), true, 'the bearer key was replaced by the gateway\'s signature')
    })

    t.test('a bearer client without a prefix is served in its configured default region', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'eu-west-2', bearerToken: BEARER_CLIENT.apiKey })
      await client.send(converse)
      t.match(fake.requests[0], { path: CONVERSE_PATH, region: 'us-east-1', signature: { ok: true } })
    })

    t.test('a bearer client whose prefix names a region outside the allowlist is refused, nothing forwarded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, `${gateway.url}/eu-central-1`, { region: 'eu-central-1', bearerToken: BEARER_CLIENT.apiKey })
      await t.rejects(client.send(converse), { name: 'AccessDeniedException', message: /^AccessDeniedException: REGION_NOT_ALLOWED: / })
      t.equal(fake.requests.length, 0)
    })

    t.test('an unknown bearer key: 403 UnrecognizedClientException, nothing forwarded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, `${gateway.url}/eu-west-2`, { region: 'eu-west-2', bearerToken: 'not-a-key-the-gateway-issued' })
      await t.rejects(client.send(converse), { name: 'UnrecognizedClientException', message: UNRECOGNIZED_MESSAGE, $metadata: { httpStatusCode: 403 } })
      t.equal(fake.requests.length, 0)
    })

    t.test('a SigV4 caller whose path prefix matches its scope region is served there', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, `${gateway.url}/us-west-2`, { region: 'us-west-2', credentials: SIGV4_CLIENT })
      await client.send(converse)
      t.match(fake.requests[0], { path: CONVERSE_PATH, region: 'us-west-2', signature: { ok: true } })
    })

    t.test('a SigV4 caller whose path prefix contradicts its scope region is refused, nothing forwarded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, `${gateway.url}/eu-west-2`, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      await t.rejects(client.send(converse), { name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } })
      t.equal(fake.requests.length, 0)
    })
  })
}

t.test('every authentication failure names its error in x-amzn-ErrorType and in the body', async (t) => {
  const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const converseRequest = { method: 'POST', path: CONVERSE_PATH, region: 'us-east-1', headers: { 'content-type': 'application/json' }, body: CONVERSE_BODY }

  t.test('no Authorization header at all: 403 AccessDeniedException', async (t) => {
    assertBedrockError(t, await sendRaw(gateway.url, converseRequest), 403, 'AccessDeniedException')
  })
  t.test('an unknown key id: 403 UnrecognizedClientException', async (t) => {
    const response = await sendSigned(gateway.url, { ...converseRequest, credentials: UNKNOWN_KEY })
    assertBedrockError(t, response, 403, 'UnrecognizedClientException')
    t.equal(JSON.parse(response.body.toString('utf8')).message, UNRECOGNIZED_MESSAGE)
  })
  t.test('a wrong signature: 403 InvalidSignatureException', async (t) => {
    assertBedrockError(t, await sendSigned(gateway.url, { ...converseRequest, credentials: WRONG_SECRET }), 403, 'InvalidSignatureException')
  })
  t.test('an x-amz-date ten minutes old: 403 InvalidSignatureException', async (t) => {
    const response = await sendSigned(gateway.url, { ...converseRequest, credentials: SIGV4_CLIENT, signingDate: new Date(Date.now() - TEN_MINUTES_MS) })
    assertBedrockError(t, response, 403, 'InvalidSignatureException')
  })
  t.test('an unknown bearer key: 403 UnrecognizedClientException', async (t) => {
    const response = await sendRaw(gateway.url, { ...converseRequest, path: `/eu-west-2${CONVERSE_PATH}`, headers: { ...converseRequest.headers, authorization: 'Bearer nope' } })
    assertBedrockError(t, response, 403, 'UnrecognizedClientException')
  })
  t.test('nothing reached the fake Bedrock', async (t) => {
    t.equal(fake.requests.length, 0)
  })
})
