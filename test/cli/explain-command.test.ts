import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { SHIPPED_CONFIG_PATH } from '../support/shipped-config.ts'

const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0'

async function explain (...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const io = capturedIo()
  const code = await main(['explain', '--config', SHIPPED_CONFIG_PATH, ...args], io)
  return { code, out: io.out(), err: io.err() }
}

t.test('an allowed request prints the decision, the reason code and the message, and exits 0', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', `us.${SONNET}`)
  t.equal(code, 0)
  t.match(out, /^decision: allowed\nreason: +ALLOWED\nmessage: +\S.*\n$/)
})

t.test('a profile outside the allowed prefixes is denied with its reason, exit 1', async (t) => {
  const { code, out } = await explain('--region', 'eu-west-2', '--model', `eu.${SONNET}`)
  t.equal(code, 1)
  t.match(out, /^decision: denied\nreason: +PROFILE_PREFIX_NOT_ALLOWED\nmessage: .*"eu"/)
})

t.test('a region outside the allowlist is denied', async (t) => {
  const { code, out } = await explain('--region', 'eu-west-3', '--model', SONNET)
  t.equal(code, 1)
  t.match(out, 'reason:   REGION_NOT_ALLOWED')
})

t.test('global is denied with its own reason', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', `global.${SONNET}`)
  t.equal(code, 1)
  t.match(out, 'reason:   GLOBAL_PROFILE_NOT_ALLOWED')
})

t.test('an ARN naming another region than the requested one is denied', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', `arn:aws:bedrock:us-west-2::foundation-model/${SONNET}`)
  t.equal(code, 1)
  t.match(out, 'reason:   ARN_REGION_MISMATCH')
})

t.test('a double-encoded model id is malformed', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', 'us.anthropic.claude-3-5-sonnet-20241022-v2%253A0')
  t.equal(code, 1)
  t.match(out, 'reason:   MALFORMED_REQUEST')
})

t.test('--operation picks the operation, checked against allow.operations', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', SONNET, '--operation', 'CountTokens')
  t.equal(code, 1)
  t.match(out, 'reason:   OPERATION_NOT_ALLOWED')
})

t.test('--json prints the same decision for machines', async (t) => {
  const { code, out } = await explain('--region', 'eu-west-2', '--model', `eu.${SONNET}`, '--operation', 'Converse', '--json')
  t.equal(code, 1)
  const decision = JSON.parse(out) as Record<string, unknown>
  t.match(decision, {
    decision: 'denied',
    allowed: false,
    reason: 'PROFILE_PREFIX_NOT_ALLOWED',
    message: String,
    region: 'eu-west-2',
    operation: 'Converse',
    model: `eu.${SONNET}`
  })
})

t.test('an unknown operation is a usage error with a suggestion', async (t) => {
  const { code, err } = await explain('--region', 'us-east-1', '--model', SONNET, '--operation', 'Converce')
  t.equal(code, 2)
  t.match(err, '"Converce" is not a bedrock-runtime operation (did you mean Converse?)')
})

t.test('--region and --model are required', async (t) => {
  const { code, err } = await explain('--model', SONNET)
  t.equal(code, 2)
  t.match(err, "required option '--region <region>' not specified")
})

t.test('--client decides with that client\'s narrowed allowlist', async (t) => {
  const path = writeConfig(t, `
allow: { regions: [us-east-1, us-east-2, us-west-1, us-west-2, eu-west-2], inferenceProfilePrefixes: [us] }
clients:
  - { name: london, apiKeySha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, allow: { regions: [eu-west-2] } }
`)
  const globally = capturedIo()
  t.equal(await main(['explain', '--config', path, '--region', 'us-east-1', '--model', SONNET], globally), 0)
  const forClient = capturedIo()
  t.equal(await main(['explain', '--config', path, '--region', 'us-east-1', '--model', SONNET, '--client', 'london'], forClient), 1)
  t.match(forClient.out(), 'reason:   REGION_NOT_ALLOWED')
})

t.test('an unknown --client is a usage error', async (t) => {
  const { code, err } = await explain('--region', 'us-east-1', '--model', SONNET, '--client', 'nobody')
  t.equal(code, 2)
  t.match(err, 'no client named "nobody"')
})
