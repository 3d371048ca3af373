import { readFileSync } from 'node:fs'
import t from 'tap'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { gatewayPolicy } from '../../src/policy/gateway-policy.ts'
import { identityPolicy } from '../../src/policy/iam-policy.ts'
import { renderPolicy, type PolicyDocument } from '../../src/policy/policy-document.ts'
import { shippedConfig, shippedConfigWith } from '../support/shipped-config.ts'

const CONTROL_PLANE_ACTIONS = ['bedrock:GetInferenceProfile', 'bedrock:ListInferenceProfiles', 'bedrock:GetPromptRouter']
const DENY = { only: [], resolve: false }
const RESOLVE = { resolve: true }
const APP_PROFILE_ARN = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6'

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

function actionsOf (policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((statement) => 'Action' in statement ? [statement.Action].flat() : [])
}

async function withVerify (config: Promise<GeofenceConfig>, verify: 'catalog' | 'live'): Promise<GeofenceConfig> {
  const loaded = await config
  return { ...loaded, routing: { ...loaded.routing, verify } }
}

t.test('the shipped config (resolve both kinds) gives the gateway role its golden policy', async (t) => {
  t.equal(renderPolicy(gatewayPolicy(await shippedConfig())), golden('gateway-seed.json'))
})

t.test('with resolution on, the role may read profiles and routers and list profiles', async (t) => {
  const actions = actionsOf(gatewayPolicy(await shippedConfig()))
  for (const action of CONTROL_PLANE_ACTIONS) t.ok(actions.includes(action), action)
})

t.test('with nothing resolved, the role gets no control-plane action and exactly the callers\' policy', async (t) => {
  const config = await withVerify(shippedConfigWith({ applicationInferenceProfiles: DENY, promptRouters: DENY }), 'catalog')
  const policy = gatewayPolicy(config)
  t.strictSame(actionsOf(policy).filter((action) => CONTROL_PLANE_ACTIONS.includes(action)), [])
  t.strictSame(policy, identityPolicy(config))
})

t.test('each way of turning resolution on adds the control-plane actions', async (t) => {
  const cases: Record<string, Promise<GeofenceConfig>> = {
    'application profiles resolved': withVerify(shippedConfigWith({ applicationInferenceProfiles: RESOLVE, promptRouters: DENY }), 'catalog'),
    'prompt routers resolved': withVerify(shippedConfigWith({ applicationInferenceProfiles: DENY, promptRouters: RESOLVE }), 'catalog'),
    'system profiles verified live': withVerify(shippedConfigWith({ applicationInferenceProfiles: DENY, promptRouters: DENY }), 'live')
  }
  for (const [name, config] of Object.entries(cases)) {
    const actions = actionsOf(gatewayPolicy(await config))
    t.ok(CONTROL_PLANE_ACTIONS.every((action) => actions.includes(action)), name)
  }
})

t.test('a resolved kind lets the role invoke any resource of that kind, fenced to the allowed regions', async (t) => {
  const config = await withVerify(shippedConfigWith({ applicationInferenceProfiles: RESOLVE, promptRouters: DENY }), 'catalog')
  const policy = gatewayPolicy(config)
  t.match(policy.Statement.find(({ Sid }) => Sid.endsWith('ApplicationProfiles')), {
    Resource: ['arn:aws:bedrock:*:*:application-inference-profile/*'],
    Condition: { StringEquals: { 'aws:RequestedRegion': [...config.allow.regions] } }
  })
  t.notOk(policy.Statement.some(({ Sid }) => Sid.includes('PromptRouter')))
})

t.test('a listed kind lets the role invoke only the listed ARNs, and asks nothing of the control plane', async (t) => {
  const config = await withVerify(shippedConfigWith({
    applicationInferenceProfiles: { only: [APP_PROFILE_ARN], resolve: false }, promptRouters: DENY
  }), 'catalog')
  const policy = gatewayPolicy(config)
  t.match(policy.Statement.find(({ Sid }) => Sid.endsWith('ApplicationProfiles')), { Resource: [APP_PROFILE_ARN] })
  t.strictSame(actionsOf(policy).filter((action) => CONTROL_PLANE_ACTIONS.includes(action)), [])
})
