import t, { type Test } from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load-config.ts'
import { writeConfig } from '../support/config-file.ts'

const APP = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6'
const OTHER_APP = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/ffffeeeedddd'
const ROUTER = 'arn:aws:bedrock:us-east-1:111122223333:prompt-router/r1b2c3d4e5f6'
const DEFAULT_ROUTER = 'arn:aws:bedrock:us-east-1:111122223333:default-prompt-router/anthropic.claude:1'
const CLIENT_KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

function configWith (allowExtra: string, clientAllow?: string): string {
  return `
allow:
  regions: [us-east-1, us-west-2]
  inferenceProfilePrefixes: [us]
${allowExtra}
${clientAllow === undefined
  ? ''
  : `clients:
  - name: narrow
    apiKeySha256: ${CLIENT_KEY}
    allow: ${clientAllow}
`}`
}

async function problemsOf (yaml: string, t: Test): Promise<readonly string[]> {
  try {
    await loadConfig(writeConfig(t, yaml), {})
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('the config was accepted, expected problems')
}

t.test('a list allows exactly those ARNs, unresolved; deny allows none', async (t) => {
  const config = await loadConfig(writeConfig(t, configWith(`  applicationInferenceProfiles: [${APP}]
  promptRouters: deny`)), {})
  t.strictSame(config.allow.applicationInferenceProfiles, { only: [APP], resolve: false })
  t.strictSame(config.allow.promptRouters, { only: [], resolve: false })
})

t.test('a client list under a global resolve keeps resolution for the listed ARNs', async (t) => {
  const config = await loadConfig(writeConfig(t, configWith('', `{ applicationInferenceProfiles: [${APP}], promptRouters: deny }`)), {})
  t.strictSame(config.clients[0]!.allow.applicationInferenceProfiles, { only: [APP], resolve: true })
  t.strictSame(config.clients[0]!.allow.promptRouters, { only: [], resolve: false })
})

t.test('a client resolve under a global list checks the listed ARNs too, and admits no others', async (t) => {
  const config = await loadConfig(writeConfig(t, configWith(`  applicationInferenceProfiles: [${APP}, ${OTHER_APP}]`,
    '{ applicationInferenceProfiles: resolve }')), {})
  t.strictSame(config.clients[0]!.allow.applicationInferenceProfiles, { only: [APP, OTHER_APP], resolve: true })
})

t.test('a client that says nothing inherits the global rule', async (t) => {
  const config = await loadConfig(writeConfig(t, configWith(`  promptRouters: [${ROUTER}, ${DEFAULT_ROUTER}]`, '{ regions: [us-east-1] }')), {})
  t.strictSame(config.clients[0]!.allow.promptRouters, { only: [ROUTER, DEFAULT_ROUTER], resolve: false })
  t.strictSame(config.clients[0]!.allow.applicationInferenceProfiles, { resolve: true })
})

t.test('a client cannot widen a global list or a global deny', async (t) => {
  const problems = await problemsOf(configWith(`  applicationInferenceProfiles: [${APP}]
  promptRouters: deny`, `{ applicationInferenceProfiles: [${APP}, ${OTHER_APP}], promptRouters: resolve }`), t)
  t.strictSame(problems, [
    `clients[0].allow.applicationInferenceProfiles[1]: "${OTHER_APP}" is not in allow.applicationInferenceProfiles (a client's allowlist can only narrow the global one)`,
    'clients[0].allow.promptRouters: "resolve" is wider than allow.promptRouters, which is deny (a client\'s allowlist can only narrow the global one)'
  ])
})

t.test('listed ARNs must be of the kind the key governs, parse, and be in an allowed region', async (t) => {
  const problems = await problemsOf(configWith(`  applicationInferenceProfiles:
    - ${ROUTER}
    - arn:aws:bedrock:eu-west-3:111122223333:application-inference-profile/a1b2c3d4e5f6
    - a1b2c3d4e5f6
  promptRouters: [${APP}]`), t)
  t.strictSame(problems, [
    `allow.applicationInferenceProfiles[0]: "${ROUTER}" is of type prompt-router (expected application-inference-profile)`,
    'allow.applicationInferenceProfiles[1]: "arn:aws:bedrock:eu-west-3:111122223333:application-inference-profile/a1b2c3d4e5f6" is in region eu-west-3, which allow.regions does not list',
    'allow.applicationInferenceProfiles[2]: ARN "a1b2c3d4e5f6" is not an ARN (expected a full ARN of type application-inference-profile)',
    `allow.promptRouters[0]: "${APP}" is of type application-inference-profile (expected prompt-router or default-prompt-router)`
  ])
})

t.test('application profiles and prompt routers in routedResources are pointed to their own key', async (t) => {
  const problems = await problemsOf(configWith(`  routedResources: [${APP}, ${DEFAULT_ROUTER}]`), t)
  t.strictSame(problems, [
    `allow.routedResources[0]: "${APP}" is of type application-inference-profile, which the gateway resolves; list it in allow.applicationInferenceProfiles instead`,
    `allow.routedResources[1]: "${DEFAULT_ROUTER}" is of type default-prompt-router, which the gateway resolves; list it in allow.promptRouters instead`
  ])
})

t.test('a setting that is neither resolve, deny nor a list says what is expected', async (t) => {
  const problems = await problemsOf(configWith(`  applicationInferenceProfiles: resolv
  promptRouters: 3`), t)
  t.strictSame(problems, [
    'allow.applicationInferenceProfiles: "resolv" is not resolve, deny, or a list of full ARNs (did you mean resolve?)',
    'allow.promptRouters: 3 is not resolve, deny, or a list of full ARNs (expected one of resolve, deny)'
  ])
})

t.test('routing settings are checked', async (t) => {
  const problems = await problemsOf(`${configWith('')}
routing: { verify: sometimes, lookupTimeoutMs: 0 }
`, t)
  t.strictSame(problems, [
    'routing.verify: "sometimes" is not catalog or live (expected one of catalog, live)',
    'routing.lookupTimeoutMs: 0 is out of range (expected a time in milliseconds >= 1)'
  ])
})

t.test('the control-plane endpoint must be https, or http to this machine only', async (t) => {
  const problems = await problemsOf(`${configWith('')}
upstream: { controlPlaneEndpoint: "http://bedrock.{region}.example.com" }
`, t)
  t.equal(problems.length, 1)
  t.match(problems[0], /^upstream\.controlPlaneEndpoint: "http:\/\/bedrock\.\{region\}\.example\.com" is not https/)
})
