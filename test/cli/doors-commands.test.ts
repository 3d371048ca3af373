import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'

const MANTLE_CLAUDE = 'anthropic.claude-opus-4-8'
const FINDING = `mantle-model-routing-undocumented:${MANTLE_CLAUDE}`

/** The runtime's OpenAI paths and mantle allowed, one mantle model listed. */
const DOORS_CONFIG = `
allow:
  regions: [us-east-1, us-east-2, us-west-1, us-west-2]
  inferenceProfilePrefixes: [us]
  operations: [Converse, OpenAIChatCompletions, OpenAIResponses, MantleMessages, MantleCountTokens]
  mantleModels: [${MANTLE_CLAUDE}]
`
const ACKNOWLEDGED = `${DOORS_CONFIG}acknowledge:
  - finding: ${FINDING}
    reason: our AWS account team confirmed mantle serves it in-region
`

async function run (...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const io = capturedIo()
  const code = await main(args, io)
  return { code, out: io.out(), err: io.err() }
}

t.test('explain takes an OpenAI operation and decides the body model like the gateway', async (t) => {
  const path = writeConfig(t, ACKNOWLEDGED)
  const { code, out } = await run('explain', '--config', path, '--offline', '--region', 'us-east-1', '--operation', 'OpenAIChatCompletions', '--model', 'openai.gpt-oss-20b-1:0')
  t.equal(code, 0)
  t.match(out, /body\.model "openai\.gpt-oss-20b-1:0"/)
})

t.test('explain refuses a us.openai profile offline: its destinations are unpublished', async (t) => {
  const path = writeConfig(t, ACKNOWLEDGED)
  const { code, out } = await run('explain', '--config', path, '--offline', '--region', 'us-east-2', '--operation', 'OpenAIResponses', '--model', 'us.openai.gpt-5.6-sol')
  t.equal(code, 1)
  t.match(out, 'reason:   ROUTING_UNVERIFIED')
})

t.test('explain allows a listed mantle model and refuses an unlisted one', async (t) => {
  const path = writeConfig(t, ACKNOWLEDGED)
  const listed = await run('explain', '--config', path, '--offline', '--region', 'us-east-1', '--operation', 'MantleMessages', '--model', MANTLE_CLAUDE)
  t.equal(listed.code, 0)
  const unlisted = await run('explain', '--config', path, '--offline', '--region', 'us-east-1', '--operation', 'MantleMessages', '--model', 'anthropic.claude-sonnet-4-6')
  t.equal(unlisted.code, 1)
  t.match(unlisted.out, /ROUTING_UNVERIFIED[\s\S]*not in allow\.mantleModels/)
})

t.test('check reports every listed mantle model as a finding until it is acknowledged', async (t) => {
  const unacknowledged = await run('check', '--config', writeConfig(t, DOORS_CONFIG))
  t.equal(unacknowledged.code, 1)
  t.match(unacknowledged.out, FINDING)
  const acknowledged = await run('check', '--config', writeConfig(t, ACKNOWLEDGED))
  t.equal(acknowledged.code, 0)
})
