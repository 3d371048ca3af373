import t from 'tap'
import { DOOR_MODELS, startDoorsHarness } from '../support/doors-harness.ts'
import { CLIENT_FILE_TIMEOUT_MS, clientEnv, resultOf } from './fixtures/client-scripts.ts'
import { runSdkScript } from './fixtures/sdk-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// LiteLLM counts a Claude model's tokens on bedrock-runtime first, and on bedrock-mantle when the runtime answers
// 400; with both endpoints pointed at the gateway, both calls are fenced.

const harness = await startDoorsHarness(t)
harness.runtime.nextFault({ kind: 'error', errorType: 'ValidationException', message: 'The provided model doesn\'t support counting tokens.' })
const gw = harness.gateway.url

const { outcomes } = await runSdkScript<{ total_tokens: number, tokenizer_type: string }>([
  { name: 'count', call: 'litellm_count_tokens', kwargs: { model: `bedrock/us.${DOOR_MODELS.mantleClaude}`, messages: [{ role: 'user', content: 'hi' }] } }
], clientEnv({ AWS_REGION_NAME: 'us-east-1', AWS_BEDROCK_RUNTIME_ENDPOINT: gw, BEDROCK_MANTLE_API_BASE: `${gw}/mantle/v1` }))

t.test('the runtime refusal sends LiteLLM to mantle, through the gateway, and the count comes from mantle', async (t) => {
  const result = resultOf(outcomes, 'count')
  t.equal(result.tokenizer_type, 'bedrock_mantle_api')
  t.same(harness.runtime.requests.map((record) => record.operation), ['CountTokens'])
  t.same(harness.mantle.requests.map((record) => record.path), ['/anthropic/v1/messages/count_tokens'])
  t.equal((JSON.parse(harness.mantle.requests[0]?.body.toString('utf8') ?? '{}') as { model?: string }).model, DOOR_MODELS.mantleClaude)
})
