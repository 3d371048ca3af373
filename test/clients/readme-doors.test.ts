import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { BEARER_CLIENT, SIGV4_CLIENT } from '../support/gateway-harness.ts'
import { startDoorsHarness } from '../support/doors-harness.ts'
import { pythonEnv, runProgram, sdkVenvPython } from '../support/python-env.ts'
import { CLIENT_FILE_TIMEOUT_MS } from './fixtures/client-scripts.ts'
import { codeBlocks, litellmEnvironment, litellmGuide } from './fixtures/litellm-docs.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// The examples docs/litellm.md shows for the OpenAI-compatible and mantle doors, checked verbatim and run as pasted
// (newest LiteLLM, openai and anthropic) against a gateway in front of a fake runtime and a fake mantle.

const EXAMPLES = ['litellm-doors-example.py', 'openai-anthropic-example.py'].map((name) =>
  fileURLToPath(new URL(`../../examples/${name}`, import.meta.url)))

const harness = await startDoorsHarness(t)
const blocks = codeBlocks(litellmGuide())

for (const example of EXAMPLES) {
  t.test(`docs/litellm.md shows ${example.split('/').at(-1) ?? ''} verbatim, and it runs as pasted`, async (t) => {
    t.ok(blocks.some((block) => block.language === 'python' && block.text === readFileSync(example, 'utf8')))
    const before = harness.runtime.requests.length + harness.mantle.requests.length
    const run = await runProgram(await sdkVenvPython(), [example],
      pythonEnv({ ...litellmEnvironment(harness.gateway.url, SIGV4_CLIENT), GEOFENCE_API_KEY: BEARER_CLIENT.apiKey }))
    t.equal(run.exitCode, 0, run.stderr)
    const printed = run.stdout.trimEnd().split('\n')
    t.ok(printed.length >= 2 && printed.every((line) => line === harness.runtime.replyText), run.stdout)
    t.equal(harness.runtime.requests.length + harness.mantle.requests.length - before, printed.length, 'each call went through the gateway')
  })
}
