import { readFileSync } from 'node:fs'
import t from 'tap'
import { pythonEnv, runProgram, sdkVenvPython } from '../support/python-env.ts'

// The second environment (.cache/venv-sdk) holds what test/clients/sdk/requirements.txt pins, apart from the LTS proxy.

const REQUIREMENTS_FILE = new URL('sdk/requirements.txt', import.meta.url)
const SDKS = ['litellm', 'openai', 'anthropic']
const IMPORT_AND_REPORT_VERSION = [
  'import importlib, importlib.metadata, sys',
  'importlib.import_module(sys.argv[1])',
  'print(importlib.metadata.version(sys.argv[1]))'
].join('\n')

const locked = new Map([...readFileSync(REQUIREMENTS_FILE, 'utf8').matchAll(/^([A-Za-z0-9._-]+)==(\S+)/gm)]
  .map(([, name, version]) => [name!.toLowerCase(), version!]))

for (const sdk of SDKS) {
  t.test(`${sdk} imports in the SDK environment and is the version the SDK lock pins`, async (t) => {
    const run = await runProgram(await sdkVenvPython(), ['-c', IMPORT_AND_REPORT_VERSION, sdk], pythonEnv())
    t.equal(run.exitCode, 0, run.stderr)
    t.equal(run.stdout.trim(), locked.get(sdk))
  })
}
