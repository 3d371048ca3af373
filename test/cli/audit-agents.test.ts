import t, { type Test } from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { useFakeGatewayCredentials } from '../support/control-plane-credentials.ts'
import { FAKE_ACCOUNT_ID, startFakeAgentControlPlane } from '../support/fake-bedrock/index.ts'

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'

async function audit (t: Test, allowExtra = '', ...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const agents = await startFakeAgentControlPlane({
    agents: [
      { sourceRegion: 'us-east-1', agentId: 'AGENTHERE1', aliases: { ALIAS00001: '1' }, models: { 1: HAIKU } },
      { sourceRegion: 'us-east-1', agentId: 'AGENTAWAY1', aliases: { ALIAS00001: '1' }, models: { 1: `arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}` } }
    ],
    flows: [{ sourceRegion: 'us-west-2', flowId: 'FLOWHERE01', aliases: { ALIAS00001: '1' }, promptModels: { 1: [HAIKU] } }]
  })
  t.teardown(() => agents.close())
  useFakeGatewayCredentials(t)
  const path = writeConfig(t, `
allow:
  regions: [us-east-1, us-west-2]
  inferenceProfilePrefixes: [us]
  operations: [InvokeAgent, InvokeFlow]
${allowExtra}upstream: { agentControlPlaneEndpoint: "${agents.url}", controlPlaneEndpoint: "${agents.url}" }
`)
  const io = capturedIo()
  const code = await main(['audit-agents', '--config', path, ...args], io)
  return { code, out: io.out(), err: io.err() }
}

t.test('audit-agents lists every agent and flow alias of the allowed regions with where it runs and the decision', async (t) => {
  const { code, out } = await audit(t)
  t.equal(code, 0)
  t.match(out, /us-east-1 +agent +agent-alias\/AGENTHERE1\/ALIAS00001 +alias-ALIAS00001 +us-east-1 +allowed\n/)
  t.match(out, /us-east-1 +agent +agent-alias\/AGENTAWAY1\/ALIAS00001 +alias-ALIAS00001 +eu-west-1 +denied PROFILE_ROUTES_OUTSIDE_ALLOWLIST\n/)
  t.match(out, /us-west-2 +flow +flow\/FLOWHERE01\/alias\/ALIAS00001 +alias-ALIAS00001 +us-west-2 +allowed\n/)
  t.match(out, '3 aliases: 2 allowed, 1 denied')
})

t.test('an alias listed by ARN that AWS says runs outside allow.regions makes audit-agents exit 1', async (t) => {
  const listed = `arn:aws:bedrock:us-east-1:${FAKE_ACCOUNT_ID}:agent-alias/AGENTAWAY1/ALIAS00001`
  const { code, out } = await audit(t, `  agentAliases: ["${listed}"]\n`)
  t.equal(code, 1)
  t.match(out, /agent-alias\/AGENTAWAY1\/ALIAS00001 +alias-ALIAS00001 +eu-west-1 +allowed\n/)
})

t.test('audit-agents --json gives each alias its regions and decision', async (t) => {
  const { out } = await audit(t, '', '--json')
  const report = JSON.parse(out) as { aliases: Array<{ id: string, runsIn: string[], decision: string }> }
  t.match(report.aliases.find(({ id }) => id === 'flow/FLOWHERE01/alias/ALIAS00001'), { runsIn: ['us-west-2'], decision: 'allowed' })
})
