import t, { type Test } from 'tap'
import { isAgentRoutedIdentifier, resolveAgentDestinations } from '../../src/routing/agent-destinations.ts'
import { createAgentControlPlaneClient } from '../../src/routing/agent-control-plane-client.ts'
import type { AgentControlPlaneClient } from '../../src/routing/types.ts'
import { ANY_REGION } from '../../src/policy/types.ts'
import {
  FAKE_ACCOUNT_ID,
  FAKE_UPSTREAM_CREDENTIALS,
  agentAliasArn,
  startFakeAgentControlPlane,
  systemProfile,
  type FakeAgentControlPlane,
  type FakeAgentControlPlaneOptions
} from '../support/fake-bedrock/index.ts'
import { GENEROUS_LOOKUP_TIMEOUT_MS, ROUTED_MODEL, US_APP, US_SYSTEM, clientFor, controlPlaneFailureOf, startRoutingControlPlane } from '../support/routing-fixtures.ts'

const REGION = 'us-east-1'
const GLOBAL = systemProfile({ id: `global.${ROUTED_MODEL}`, sourceRegion: REGION, destinationRegions: [''] })
const FIXTURES: FakeAgentControlPlaneOptions = {
  agents: [
    { sourceRegion: REGION, agentId: 'AGENTHERE1', aliases: { ALIAS00001: '1', TSTALIASID: 'DRAFT' }, models: { 1: ROUTED_MODEL, DRAFT: US_SYSTEM.profile.inferenceProfileId } },
    { sourceRegion: REGION, agentId: 'AGENTGLOB1', aliases: { ALIAS00001: '1' }, models: { 1: GLOBAL.profile.inferenceProfileId } },
    { sourceRegion: REGION, agentId: 'AGENTAPP01', aliases: { ALIAS00001: '1' }, models: { 1: US_APP.profile.inferenceProfileArn } },
    { sourceRegion: REGION, agentId: 'AGENTSUP01', aliases: { ALIAS00001: '1' }, models: { 1: ROUTED_MODEL }, agentCollaboration: 'SUPERVISOR' }
  ],
  flows: [
    { sourceRegion: REGION, flowId: 'FLOWHERE01', aliases: { ALIAS00001: '2' }, promptModels: { 2: [ROUTED_MODEL, `arn:aws:bedrock:us-west-2::foundation-model/${ROUTED_MODEL}`] } }
  ]
}

async function agentClientFor (t: Test, fake: FakeAgentControlPlane): Promise<AgentControlPlaneClient> {
  const client = createAgentControlPlaneClient({ endpointTemplate: fake.url, credentials: async () => FAKE_UPSTREAM_CREDENTIALS, timeoutMs: GENEROUS_LOOKUP_TIMEOUT_MS })
  t.teardown(() => client.close())
  return client
}

async function setUp (t: Test): Promise<{ agents: FakeAgentControlPlane, resolve: (identifier: string) => ReturnType<typeof resolveAgentDestinations> }> {
  const agents = await startFakeAgentControlPlane(FIXTURES)
  t.teardown(() => agents.close())
  const cp = await startRoutingControlPlane(t, { inferenceProfiles: [US_SYSTEM.profile, GLOBAL.profile, US_APP.profile].map((profile) => ({ sourceRegion: REGION, profile })) })
  const agentClient = await agentClientFor(t, agents)
  const client = clientFor(t, cp)
  return { agents, resolve: async (identifier) => await resolveAgentDestinations(agentClient, client, REGION, identifier) }
}

t.test('agent and flow aliases are recognised by id and by ARN; other identifiers are not', async (t) => {
  t.ok(isAgentRoutedIdentifier('agent-alias/AGENTHERE1/ALIAS00001'))
  t.ok(isAgentRoutedIdentifier('flow/FLOWHERE01/alias/ALIAS00001'))
  t.ok(isAgentRoutedIdentifier(agentAliasArn(REGION, 'AGENTHERE1', 'ALIAS00001')))
  t.notOk(isAgentRoutedIdentifier(US_SYSTEM.profile.inferenceProfileId))
  t.notOk(isAgentRoutedIdentifier(US_APP.profile.inferenceProfileArn))
})

t.test('an agent alias whose version runs a foundation model runs in its own region', async (t) => {
  const { resolve } = await setUp(t)
  t.strictSame(await resolve('agent-alias/AGENTHERE1/ALIAS00001'),
    { verified: true, regions: [REGION], destinations: [{ region: REGION, via: 'agentVersion 1 -> foundationModel' }] })
})

t.test('the test alias reads the DRAFT agent, whose system profile is looked up', async (t) => {
  const { agents, resolve } = await setUp(t)
  t.strictSame((await resolve('agent-alias/AGENTHERE1/TSTALIASID')).regions, ['us-east-1', 'us-east-2', 'us-west-2'])
  t.equal(agents.lookups('GetAgent'), 1)
})

t.test('an agent that runs a global profile can run in any region', async (t) => {
  const { resolve } = await setUp(t)
  t.strictSame((await resolve('agent-alias/AGENTGLOB1/ALIAS00001')).regions, [ANY_REGION])
})

t.test('an agent that runs an application profile reaches its models\' regions', async (t) => {
  const { resolve } = await setUp(t)
  t.strictSame((await resolve(agentAliasArn(REGION, 'AGENTAPP01', 'ALIAS00001'))).regions, ['us-east-1', 'us-west-2'])
})

t.test('a supervisor agent is not placed: its collaborators run models its answer does not name', async (t) => {
  const { resolve } = await setUp(t)
  const error = await controlPlaneFailureOf(resolve('agent-alias/AGENTSUP01/ALIAS00001'))
  t.equal(error.kind, 'malformed-answer')
  t.match(error.message, /agentCollaboration is SUPERVISOR/)
})

t.test('a flow alias runs where its prompt nodes\' models run', async (t) => {
  const { resolve } = await setUp(t)
  t.strictSame((await resolve(`arn:aws:bedrock:${REGION}:${FAKE_ACCOUNT_ID}:flow/FLOWHERE01/alias/ALIAS00001`)).regions, ['us-east-1', 'us-west-2'])
})

t.test('an alias the agents control plane does not know fails as not found', async (t) => {
  const { resolve } = await setUp(t)
  t.equal((await controlPlaneFailureOf(resolve('agent-alias/AGENTNONE1/ALIAS00001'))).kind, 'not-found')
})

t.test('without an agents control plane every alias fails closed', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const error = await controlPlaneFailureOf(resolveAgentDestinations(undefined, clientFor(t, cp), REGION, 'agent-alias/AGENTHERE1/ALIAS00001'))
  t.match(error.message, /no agents control plane is configured/)
})
