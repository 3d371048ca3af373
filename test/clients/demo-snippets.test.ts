/** The boto3 and LiteLLM calls `demo` prints run as pasted, against the demo's gateway and simulator. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { startDemo } from '../../src/demo/demo.ts'
import { pythonEnv, runPython } from '../support/python-env.ts'

/** The lines after a `# <heading>` line, up to the next blank line: one snippet as the demo prints it. */
function snippet (instructions: string, heading: string): string {
  const lines = instructions.split('\n')
  const start = lines.indexOf(`# ${heading}`)
  if (start === -1) throw new Error(`the demo printed no "${heading}" snippet`)
  const end = lines.indexOf('', start)
  return `${lines.slice(start + 1, end).join('\n')}\n`
}

const demo = await startDemo({ port: 0, adminPort: 0, logger: pino({ level: 'silent' }) })
t.teardown(() => demo.close())

async function runSnippet (t: Test, heading: string): Promise<{ exitCode: number | null, stdout: string, stderr: string }> {
  const path = join(t.testdir(), 'snippet.py')
  writeFileSync(path, snippet(demo.instructions, heading))
  // No AWS credentials or endpoint in the environment: the snippet must carry everything it needs.
  return runPython(path, [], pythonEnv())
}

for (const client of ['boto3', 'LiteLLM']) {
  t.test(`the ${client} call printed as allowed prints the simulator's answer`, async (t) => {
    const result = await runSnippet(t, `${client}, allowed:`)
    t.equal(result.exitCode, 0, result.stderr)
    t.match(result.stdout, /^Hello from the bedrock-geofence simulator\./)
  })
}

t.test('the boto3 call printed as refused raises AccessDeniedException naming the reason', async (t) => {
  const result = await runSnippet(t, 'boto3, refused (raises botocore AccessDeniedException):')
  t.not(result.exitCode, 0)
  t.match(result.stderr, /AccessDeniedException.*PROFILE_PREFIX_NOT_ALLOWED/)
})

t.test('the LiteLLM call printed as refused raises PermissionDeniedError naming the reason', async (t) => {
  const result = await runSnippet(t, 'LiteLLM, refused (raises litellm.PermissionDeniedError):')
  t.not(result.exitCode, 0)
  t.match(result.stderr, /PermissionDeniedError[\s\S]*PROFILE_PREFIX_NOT_ALLOWED/)
})
