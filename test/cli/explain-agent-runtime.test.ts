import t, { type Test } from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { useFakeGatewayCredentials } from '../support/control-plane-credentials.ts'
import { startFakeAgentControlPlane, type FakeAgentControlPlane } from '../support/fake-bedrock/index.ts'

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'

async function setUp (t: Test): Promise<{ agents: FakeAgentControlPlane, path: string }> {
  const agents = await startFakeAgentControlPlane({
    agents: [{ sourceRegion: 'us-east-1', agentId: 'AGENT01234', aliases: { ALIAS01234: '1' }, models: { 1: `arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}` } }]
  })
  t.teardown(() => agents.close())
  useFakeGatewayCredentials(t)
  const path = writeConfig(t, `
allow:
  regions: [us-east-1, us-west-2]
  inferenceProfilePrefixes: [us]
  operations: [Rerank, InvokeAgent, Retrieve]
upstream: { agentControlPlaneEndpoint: "${agents.url}", controlPlaneEndpoint: "${agents.url}" }
`)
  return { agents, path }
}

async function explain (path: string, ...args: string[]): Promise<{ code: number, out: string }> {
  const io = capturedIo()
  const code = await main(['explain', '--config', path, '--region', 'us-east-1', ...args], io)
  return { code, out: io.out() }
}

t.test('explain decides a Rerank on its reranking model', async (t) => {
  const { path } = await setUp(t)
  const { code, out } = await explain(path, '--operation', 'Rerank', '--model', 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0')
  t.equal(code, 1)
  t.match(out, 'reason:   ARN_REGION_MISMATCH')
})

t.test('explain resolves an agent alias through bedrock-agent and shows where it runs', async (t) => {
  const { agents, path } = await setUp(t)
  const { code, out } = await explain(path, '--operation', 'InvokeAgent', '--model', 'AGENT01234/ALIAS01234')
  t.equal(code, 1)
  t.match(out, 'reason:   PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(out, 'routes:   "agent-alias/AGENT01234/ALIAS01234" from us-east-1: eu-west-1 (as AWS reports it)')
  t.equal(agents.lookups('GetAgentAlias'), 1)
})

t.test('explain --offline leaves an agent alias unresolved and denies it', async (t) => {
  const { agents, path } = await setUp(t)
  const { code, out } = await explain(path, '--offline', '--operation', 'InvokeAgent', '--model', 'AGENT01234/ALIAS01234')
  t.equal(code, 1)
  t.match(out, 'reason:   ROUTING_UNVERIFIED')
  t.equal(agents.lookups(), 0)
})

t.test('explain decides a Retrieve on its knowledge base ARN', async (t) => {
  const { path } = await setUp(t)
  const { code, out } = await explain(path, '--operation', 'Retrieve', '--model', 'arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KBID012345')
  t.equal(code, 0, out)
})
