import { fileURLToPath } from 'node:url'
import t from 'tap'
import { rerankScore, retrievedPassage } from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { pythonEnv, runPython } from '../support/python-env.ts'
import { CLIENT_FILE_TIMEOUT_MS } from './fixtures/client-scripts.ts'
import { TEST_MASTER_KEY, codeBlocks, litellmEnvironment, litellmGuide, readDoc } from './fixtures/litellm-docs.ts'
import { startLiteLLMProxy } from './fixtures/litellm-proxy.ts'

// LiteLLM's proxy with the agent-runtime config docs/litellm.md shows (/v1/rerank and a chat with a Bedrock agent),
// and the SDK example it shows, all through the gateway.

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

const CONFIG_PATH = fileURLToPath(new URL('../../examples/litellm-agent-runtime-config.yaml', import.meta.url))
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'

const harness = await startGatewayHarness(t, {
  extraYaml: inProcessLimitsYaml(),
  extraOperations: ['Rerank', 'Retrieve', 'InvokeAgent'],
  agentControlPlane: { agents: [{ sourceRegion: 'us-east-1', agentId: 'AGENT01234', aliases: { ALIAS01234: '1' }, models: { 1: HAIKU } }] }
})
const proxy = await startLiteLLMProxy(t, CONFIG_PATH, pythonEnv(litellmEnvironment(harness.gateway.url, SIGV4_CLIENT)))

async function post (path: string, body: unknown): Promise<{ status: number, json: Record<string, unknown> }> {
  const response = await fetch(`${proxy.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: response.status, json: await response.json() as Record<string, unknown> }
}

t.test('docs/litellm.md shows the agent-runtime config this test runs, verbatim', async (t) => {
  t.ok(codeBlocks(litellmGuide()).some((block) => block.language === 'yaml' && block.text === readDoc(CONFIG_PATH)))
})

t.test('the proxy\'s /v1/rerank reaches Rerank through the gateway', async (t) => {
  const { status, json } = await post('/v1/rerank', { model: 'bedrock-rerank', query: 'which?', documents: ['first', 'second'] })
  t.equal(status, 200, JSON.stringify(json))
  t.match(json.results, [{ index: 0, relevance_score: rerankScore(0) }, { index: 1, relevance_score: rerankScore(1) }])
  t.match(harness.fake.requests.filter((request) => request.path === '/rerank'), [{ signature: { ok: true, region: 'us-east-1' } }])
})

t.test('a chat with the agent deployment reaches InvokeAgent through the gateway', async (t) => {
  const { status, json } = await post('/v1/chat/completions', { model: 'support-agent', messages: [{ role: 'user', content: 'Hello, agent' }] })
  t.equal(status, 200, JSON.stringify(json))
  t.match(json.choices, [{ message: { content: harness.fake.replyText } }])
  t.equal(harness.fake.requests.filter((request) => request.path.startsWith('/agents/AGENT01234/agentAliases/ALIAS01234/sessions/')).length, 1)
})

t.test('the SDK example docs/litellm.md shows runs rerank, a knowledge-base search and an agent through the gateway', async (t) => {
  const examplePath = fileURLToPath(new URL('../../examples/litellm-agent-runtime-example.py', import.meta.url))
  t.ok(codeBlocks(litellmGuide()).some((block) => block.language === 'python' && block.text === readDoc(examplePath)), 'shown verbatim')
  const run = await runPython(examplePath, [], pythonEnv(litellmEnvironment(harness.gateway.url, SIGV4_CLIENT)))
  t.equal(run.exitCode, 0, run.stderr)
  t.equal(run.stdout, `[0, 1]\n${retrievedPassage('KBID012345')}\n${harness.fake.replyText}\n`)
})
