import { readFile } from 'node:fs/promises'
import t from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'

const AGENT_ALIAS = 'arn:aws:bedrock:us-east-1:111122223333:agent-alias/AGENT01234/ALIAS01234'

async function documentedSnippet (): Promise<string> {
  const markdown = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8')
  const from = markdown.indexOf('### Knowledge bases, agents and flows')
  const block = /```yaml\n([\s\S]*?)```/.exec(markdown.slice(from))
  if (from === -1 || block === null) throw new Error('docs/configuration.md has no agent-runtime yaml block')
  return block[1] as string
}

t.test('the documented agent-runtime snippet loads: a listed agent alias, flow aliases resolved', async (t) => {
  const config = await loadConfig(writeConfig(t, await documentedSnippet()), {})
  t.strictSame(config.allow.agentAliases, { only: [AGENT_ALIAS], resolve: false })
  t.strictSame(config.allow.flowAliases, { resolve: true })
  t.ok(config.allow.operations.includes('InvokeAgent'))
})

t.test('agent-runtime operations are off by default', async (t) => {
  const config = await loadConfig(writeConfig(t, MINIMAL_CONFIG), {})
  t.notOk(config.allow.operations.some((operation) => ['Rerank', 'Retrieve', 'InvokeAgent', 'InvokeFlow'].includes(operation)))
})

t.test('allow.agentAliases refuses an ARN of another kind, naming the key', async (t) => {
  const path = writeConfig(t, `${MINIMAL_CONFIG}  agentAliases: ["arn:aws:bedrock:us-east-1:111122223333:flow/FLOW012345/alias/ALIAS01234"]\n`)
  await t.rejects(loadConfig(path, {}), /allow\.agentAliases\[0\].*flow-alias \(expected agent-alias\)/)
})

t.test('allow.flowAliases refuses a listed alias in a region allow.regions does not list', async (t) => {
  const path = writeConfig(t, `${MINIMAL_CONFIG}  flowAliases: ["arn:aws:bedrock:eu-west-1:111122223333:flow/FLOW012345/alias/ALIAS01234"]\n`)
  await t.rejects(loadConfig(path, {}), /allow\.flowAliases\[0\].*region eu-west-1/)
})

t.test('a client cannot widen allow.agentAliases', async (t) => {
  const path = writeConfig(t, `${MINIMAL_CONFIG}  agentAliases: deny
clients:
  - name: wide
    apiKeySha256: ${'a'.repeat(64)}
    allow: { agentAliases: resolve }
`)
  await t.rejects(loadConfig(path, {}), /agentAliases.*wider than allow\.agentAliases/)
})

t.test('the agent-runtime endpoints default to AWS\'s and can be pointed elsewhere', async (t) => {
  const config = await loadConfig(writeConfig(t, `${MINIMAL_CONFIG}upstream: { agentRuntimeEndpoint: "http://127.0.0.1:9999", agentControlPlaneEndpoint: "http://127.0.0.1:9998" }\n`), {})
  t.equal(config.upstream.agentRuntimeEndpoint, 'http://127.0.0.1:9999')
  t.equal(config.upstream.agentControlPlaneEndpoint, 'http://127.0.0.1:9998')
})

t.test('an agent-runtime endpoint over plain http to a non-loopback host is refused', async (t) => {
  await t.rejects(loadConfig(writeConfig(t, `${MINIMAL_CONFIG}upstream: { agentRuntimeEndpoint: "http://example.com" }\n`), {}), /upstream\.agentRuntimeEndpoint/)
})
