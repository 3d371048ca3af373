import { readFileSync } from 'node:fs'
import t from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import { gatewayPolicy } from '../../src/policy/gateway-policy.ts'
import { identityPolicy } from '../../src/policy/iam-policy.ts'
import { renderPolicy } from '../../src/policy/policy-document.ts'
import { serviceControlPolicy } from '../../src/policy/scp-policy.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

const LISTED_AGENT_ALIAS = 'arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT01234/ALIAS01234'
/** Every fenced agent-runtime operation, agent aliases listed by ARN, flow aliases resolved. */
export const AGENT_RUNTIME_CONFIG = `${MINIMAL_CONFIG}  operations: [Converse, Rerank, Retrieve, RetrieveAndGenerate, RetrieveAndGenerateStream, InvokeAgent, InvokeInlineAgent, InvokeFlow]
  agentAliases: ["${LISTED_AGENT_ALIAS}"]
policy: { sid: AgentRuntime }
`

t.test('a config allowing the agent-runtime operations prints its IAM policy byte for byte as its golden file', async (t) => {
  const config = await loadConfig(writeConfig(t, AGENT_RUNTIME_CONFIG), {})
  t.equal(renderPolicy(identityPolicy(config)), golden('iam-agent-runtime.json'))
})

t.test('the IAM policy grants InvokeAgent on the listed agent aliases only', async (t) => {
  const config = await loadConfig(writeConfig(t, AGENT_RUNTIME_CONFIG), {})
  const [scoped] = identityPolicy(config).Statement
  t.ok(scoped?.Resource.includes(LISTED_AGENT_ALIAS))
  t.notOk((scoped?.Resource as string[]).some((arn) => arn.includes(':agent-alias/*')))
})

t.test('Rerank brings bedrock:InvokeModel on the reranking model with it', async (t) => {
  const config = await loadConfig(writeConfig(t, `${MINIMAL_CONFIG}  operations: [Rerank]\n`), {})
  const actions = identityPolicy(config).Statement.flatMap((statement) => 'Action' in statement ? statement.Action : [])
  t.same([...actions].sort(), ['bedrock:InvokeModel', 'bedrock:Rerank'])
})

t.test('a config allowing the agent-runtime operations prints its SCP byte for byte as its golden file', async (t) => {
  const config = await loadConfig(writeConfig(t, AGENT_RUNTIME_CONFIG), {})
  t.equal(renderPolicy(serviceControlPolicy(config)), golden('scp-agent-runtime.json'))
})

t.test('the gateway\'s own policy reads bedrock-agent when it resolves flow aliases', async (t) => {
  const config = await loadConfig(writeConfig(t, AGENT_RUNTIME_CONFIG), {})
  const lookups = gatewayPolicy(config).Statement.find((statement) => statement.Sid === 'AgentRuntimeAgentLookups')
  t.match(lookups, { Action: ['bedrock:GetAgentAlias', 'bedrock:GetAgentVersion', 'bedrock:GetAgent', 'bedrock:GetFlowAlias', 'bedrock:GetFlowVersion', 'bedrock:GetFlow'] })
})

t.test('the gateway\'s own policy does not read bedrock-agent when no agent or flow is allowed', async (t) => {
  const config = await loadConfig(writeConfig(t, MINIMAL_CONFIG), {})
  t.notOk(gatewayPolicy(config).Statement.some((statement) => statement.Sid?.endsWith('AgentLookups')))
})
