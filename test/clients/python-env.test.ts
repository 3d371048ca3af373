import { readFileSync } from 'node:fs'
import t from 'tap'
import { OFFLINE_GUARD_MARKER, pythonEnv, runProgram, runPython, venvProgram } from '../support/python-env.ts'

const REQUIREMENTS_FILE = new URL('requirements.txt', import.meta.url)
// Distribution names; each is also the name its module is imported by.
const CLIENTS = ['litellm', 'boto3', 'botocore', 'awscli', 'openai']
const IMPORT_AND_REPORT_VERSION = [
  'import importlib, importlib.metadata, sys',
  'importlib.import_module(sys.argv[1])',
  'print(importlib.metadata.version(sys.argv[1]))'
].join('\n')
const REPORT_CREDENTIALS_AND_PROXIES = [
  'import json, urllib.request, boto3',
  'credentials = boto3.Session().get_credentials()',
  'print(json.dumps({"credentials": credentials is not None, "proxies": urllib.request.getproxies()}))'
].join('\n')
const PARENT_ONLY_VARIABLES: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'AKIAPARENTPROCESSKEY1',
  AWS_SECRET_ACCESS_KEY: 'parent-process-secret',
  AWS_PROFILE: 'parent-profile',
  HTTPS_PROXY: 'http://proxy.invalid:3128',
  http_proxy: 'http://proxy.invalid:3128'
}

function lockedVersions (): Map<string, string> {
  const pins = readFileSync(REQUIREMENTS_FILE, 'utf8').matchAll(/^([A-Za-z0-9._-]+)==(\S+)/gm)
  return new Map([...pins].map(([, name, version]) => [name!.toLowerCase(), version!]))
}

const locked = lockedVersions()

for (const client of CLIENTS) {
  t.test(`${client} imports in the offline environment and is the version requirements.txt pins`, async (t) => {
    const run = await runPython('-c', [IMPORT_AND_REPORT_VERSION, client])
    t.equal(run.exitCode, 0, run.stderr)
    t.equal(run.stdout.trim(), locked.get(client))
  })
}

t.test('importing litellm in the offline environment attempts no network access', async (t) => {
  const run = await runPython('-c', ['import litellm'])
  t.equal(run.exitCode, 0, run.stderr)
  t.notMatch(run.stderr, OFFLINE_GUARD_MARKER)
})

t.test('without the local cost map setting, the loopback fence stops litellm fetching its price list', async (t) => {
  const env = pythonEnv()
  delete env.LITELLM_LOCAL_MODEL_COST_MAP
  const run = await runPython('-c', ['import litellm'], env)
  t.equal(run.exitCode, 0, 'litellm falls back to its bundled price list')
  t.match(run.stderr, `${OFFLINE_GUARD_MARKER} socket.getaddrinfo`)
})

t.test('a lookup of a non-loopback host is refused before it leaves the machine', async (t) => {
  const run = await runPython('-c', ['import socket; socket.getaddrinfo("bedrock-runtime.us-east-1.amazonaws.com", 443)'])
  t.not(run.exitCode, 0)
  t.match(run.stderr, `${OFFLINE_GUARD_MARKER} socket.getaddrinfo 'bedrock-runtime.us-east-1.amazonaws.com'`)
})

t.test('AWS credentials and proxies of the parent process do not reach the Python clients', async (t) => {
  const saved = Object.fromEntries(Object.keys(PARENT_ONLY_VARIABLES).map((name) => [name, process.env[name]]))
  Object.assign(process.env, PARENT_ONLY_VARIABLES)
  t.teardown(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
  const run = await runPython('-c', [REPORT_CREDENTIALS_AND_PROXIES], pythonEnv())
  t.equal(run.exitCode, 0, run.stderr)
  t.same(JSON.parse(run.stdout), { credentials: false, proxies: { no: '127.0.0.1,localhost' } })
  t.notMatch(run.stderr, OFFLINE_GUARD_MARKER, 'no credential provider reached for the network')
})

t.test('aws --version from the virtualenv reports the awscli version requirements.txt pins', async (t) => {
  const run = await runProgram(await venvProgram('aws'), ['--version'])
  t.equal(run.exitCode, 0, run.stderr)
  t.match(run.stdout, new RegExp(`^aws-cli/${locked.get('awscli')?.replaceAll('.', '\\.')} `))
})
