import { fileURLToPath } from 'node:url'
import t from 'tap'
import { NOVA_SONIC, startBidirectionalHarness } from '../support/bidirectional-harness.ts'
import { SIGV4_CLIENT } from '../support/gateway-harness.ts'
import { bidiVenvPython, pythonEnv, runProgram } from '../support/python-env.ts'

const SCRIPT = fileURLToPath(new URL('./bedrock_runtime_bidi.py', import.meta.url))
const EVENTS = 12
const CALLER_KEYS = { GEOFENCE_ACCESS_KEY_ID: SIGV4_CLIENT.accessKeyId, GEOFENCE_SECRET_ACCESS_KEY: SIGV4_CLIENT.secretAccessKey }

interface SessionResult {
  readonly received?: string[]
  readonly error?: string
  readonly message?: string
}

async function pythonSession (url: string, certPath: string): Promise<SessionResult> {
  const result = await runProgram(await bidiVenvPython(), [SCRIPT, url, certPath, NOVA_SONIC, String(EVENTS)], pythonEnv(CALLER_KEYS))
  if (result.exitCode !== 0) throw new Error(`bedrock_runtime_bidi.py exited ${result.exitCode}: ${result.stderr.slice(-2000)}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as SessionResult
}

t.test('aws_sdk_bedrock_runtime (Python 3.12, HTTP/2 over awscrt) holds a session through the TLS listener', async (t) => {
  const harness = await startBidirectionalHarness(t)
  const result = await pythonSession(harness.url, harness.certPath)
  t.same(result.received?.map((text) => JSON.parse(text) as unknown), Array.from({ length: EVENTS }, (_, n) => ({ event: n })),
    'every event echoed, in order')
  await harness.fake.waitForClose(0)
  const [session] = harness.fake.sessions
  t.ok(session?.signature.ok)
  t.ok(session?.envelopes.every((envelope) => envelope.signatureOk), 'the fake verified every re-signed event')
  t.ok(session?.endFrame, 'the SDK\'s end frame went upstream re-signed')
})

t.test('aws_sdk_bedrock_runtime is refused while the operation is not enabled, and nothing reaches the fake', async (t) => {
  const harness = await startBidirectionalHarness(t, { enabled: false })
  const result = await pythonSession(harness.url, harness.certPath)
  t.equal(result.error, 'AccessDeniedException')
  t.match(result.message, /OPERATION_NOT_ALLOWED/)
  t.equal(harness.fake.sessions.length, 0)
})
