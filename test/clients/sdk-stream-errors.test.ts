import t from 'tap'
import { BEARER_CLIENT } from '../support/gateway-harness.ts'
import { DOOR_MODELS, startDoorsHarness } from '../support/doors-harness.ts'
import { CLIENT_FILE_TIMEOUT_MS, errorOf } from './fixtures/client-scripts.ts'
import { runSdkScript } from './fixtures/sdk-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// A stream that breaks off upstream after its 200 ends with the error event each client raises on.

const MESSAGES = [{ role: 'user', content: 'What is the capital of France?' }]
const harness = await startDoorsHarness(t)
harness.runtime.setFault({ kind: 'reset', afterFrames: 2 })
harness.mantle.setFault({ kind: 'reset', afterFrames: 2 })
const gw = harness.gateway.url

const { outcomes } = await runSdkScript([
  { name: 'openai chat', call: 'openai_chat', client: { base_url: `${gw}/us-east-1/openai/v1`, api_key: BEARER_CLIENT.apiKey }, kwargs: { model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true } },
  { name: 'openai responses', call: 'openai_responses', client: { base_url: `${gw}/us-east-1/openai/v1`, api_key: BEARER_CLIENT.apiKey }, kwargs: { model: DOOR_MODELS.gptOss, input: 'hi', stream: true } },
  { name: 'anthropic messages', call: 'anthropic_messages', client: { base_url: `${gw}/us-east-1/anthropic`, auth_token: BEARER_CLIENT.apiKey }, kwargs: { model: DOOR_MODELS.mantleClaude, max_tokens: 64, messages: MESSAGES, stream: true } }
])

for (const [name, errorClass] of [
  ['openai chat', 'openai.APIError'],
  ['openai responses', 'openai.APIError'],
  ['anthropic messages', 'anthropic.APIStatusError']
] as const) {
  t.test(`${name}: the client raises ${errorClass} with the gateway's message`, async (t) => {
    const error = errorOf(outcomes, name)
    t.ok(error.error_classes.some((cls) => cls.endsWith(`.${errorClass.split('.')[1] ?? ''}`) && cls.startsWith(errorClass.split('.')[0] ?? '')), error.error_type)
    t.match(error.message, /Gateway request id/)
  })
}
