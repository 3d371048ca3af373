/** The no-AWS trial: what `demo` prints works as pasted, allowed and refused, and it is loud about the simulator. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { startDemo, type RunningDemo } from '../../src/demo/demo.ts'
import { loadServableConfig } from '../../src/server/servable-config.ts'
import { writeConfig } from '../support/config-file.ts'

const run = promisify(execFile)

async function demo (t: Test): Promise<RunningDemo> {
  const running = await startDemo({ port: 0, adminPort: 0, logger: pino({ level: 'silent' }) })
  t.teardown(() => running.close())
  return running
}

/** The `curl` lines the demo printed, in order: the allowed call, then the refused one. */
function curlLines (instructions: string): string[] {
  return instructions.split('\n').filter((line) => line.startsWith('curl '))
}

t.test('the printed allowed curl call gets the simulator\'s answer through the gateway', async (t) => {
  const { instructions } = await demo(t)
  const [allowed] = curlLines(instructions)
  const { stdout } = await run('sh', ['-c', allowed ?? 'false'])
  t.match(JSON.parse(stdout), { output: { message: { role: 'assistant', content: [{ text: /bedrock-geofence simulator/ }] } }, usage: { inputTokens: Number } })
})

t.test('the printed refused curl call gets a Bedrock-shaped 403 naming the reason', async (t) => {
  const { instructions } = await demo(t)
  const [, refused] = curlLines(instructions)
  const { stdout } = await run('sh', ['-c', `${refused ?? 'false'} -w '\\n%{http_code}'`])
  const [body, status] = stdout.split('\n')
  t.equal(status, '403')
  t.match(JSON.parse(body ?? ''), { __type: 'AccessDeniedException', message: /PROFILE_PREFIX_NOT_ALLOWED/ })
})

t.test('it is loud about the simulator: the banner, readiness and a metric', async (t) => {
  const { instructions, gateway } = await demo(t)
  t.match(instructions, /^=+\nbedrock-geofence DEMO: the upstream is a built-in Bedrock SIMULATOR\.\nNo request reaches AWS/)
  const ready = await (await fetch(`${gateway.adminUrl}/readyz`)).json() as Record<string, unknown>
  t.match(ready, { ready: true, simulator: /^SIMULATOR: / })
  t.match(await (await fetch(`${gateway.adminUrl}/metrics`)).text(), /^bedrock_geofence_simulated_upstream 1$/m)
})

t.test('serve refuses a config that names the simulator', async (t) => {
  const path = writeConfig(t, 'allow: { regions: [us-east-1], inferenceProfilePrefixes: [] }\nupstream: { simulator: true }\n')
  const refusal = await loadServableConfig(path, {}).then(() => undefined, (error: unknown) => error)
  t.match(refusal, { problems: [/^upstream.simulator: the Bedrock simulator is for trials only/] })
})
