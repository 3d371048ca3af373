import { readFileSync } from 'node:fs'
import t from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import { identityPolicy } from '../../src/policy/iam-policy.ts'
import { renderPolicy, type PolicyDocument, type PolicyStatement } from '../../src/policy/policy-document.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'
import { shippedConfig, shippedConfigWith } from '../support/shipped-config.ts'

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

/** The seed policy the shipped allowlist was written to match, verbatim. */
const SEED_POLICY = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowBedrockModelInvocationInAUSCANNZUKUS","Effect":"Allow",
"Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],
"Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-1","us-west-2","ca-central-1","ca-west-1","eu-west-2","ap-southeast-2","ap-southeast-4"]},
"StringLikeIfExists":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}},
"Resource":["arn:aws:bedrock:*::foundation-model/*","arn:aws:bedrock:*:*:provisioned-model/*","arn:aws:bedrock:*:*:imported-model/*","arn:aws:bedrock:*:*:inference-profile/*"]}]}`

t.test('the shipped config gives the seed policy', async (t) => {
  t.strictSame(identityPolicy(await shippedConfig()), JSON.parse(SEED_POLICY))
})

t.test('the seed policy keeps its key order: Sid, Effect, Action, Condition, Resource', async (t) => {
  const [statement] = identityPolicy(await shippedConfig()).Statement
  t.strictSame(Object.keys(statement!), ['Sid', 'Effect', 'Action', 'Condition', 'Resource'])
})

t.test('the seed policy prints byte for byte as its golden file', async (t) => {
  t.equal(renderPolicy(identityPolicy(await shippedConfig())), golden('iam-seed.json'))
})

t.test('without profile prefixes the inference-profile resource and the prefix condition are gone', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({ inferenceProfilePrefixes: [] }))
  const [statement] = policy.Statement
  t.notOk(Object.hasOwn(statement!.Condition!, 'StringLikeIfExists'))
  t.notOk((statement!.Resource as string[]).some((resource) => resource.includes('inference-profile')))
  t.equal(renderPolicy(policy), golden('iam-no-profiles.json'))
})

t.test('several prefixes make the condition value a list', async (t) => {
  const [statement] = identityPolicy(await shippedConfigWith({ inferenceProfilePrefixes: ['us', 'ca'] })).Statement
  t.strictSame(statement!.Condition!.StringLikeIfExists, {
    'bedrock:InferenceProfileArn': ['arn:aws:bedrock:*:*:inference-profile/us.*', 'arn:aws:bedrock:*:*:inference-profile/ca.*']
  })
})

t.test('operations beyond the default add their actions once each, in a stable order', async (t) => {
  const [statement] = identityPolicy(await shippedConfigWith({
    operations: ['ConverseStream', 'CountTokens', 'Converse', 'InvokeModel']
  })).Statement
  t.strictSame((statement as { Action: unknown }).Action,
    ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:CountTokens'])
})

t.test('operations on guardrails and async invocations get their resources, never a wildcard on models', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({
    inferenceProfilePrefixes: ['us', 'ca'],
    operations: ['ListAsyncInvokes', 'ConverseStream', 'ApplyGuardrail', 'Converse', 'CountTokens']
  }))
  const [models, unscoped] = policy.Statement
  t.ok((models!.Resource as string[]).includes('arn:aws:bedrock:*:*:guardrail/*'))
  t.notOk((models!.Resource as string[]).includes('*'))
  t.match(unscoped, { Action: ['bedrock:ListAsyncInvokes'], Resource: '*' })
  t.equal(renderPolicy(policy), golden('iam-wider.json'))
})

t.test('allowing global adds the region IAM sees for global routing', async (t) => {
  const [statement] = identityPolicy(await shippedConfigWith({ inferenceProfilePrefixes: ['global'] })).Statement
  t.strictSame(statement!.Condition!.StringEquals!['aws:RequestedRegion'], [
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-2', 'ap-southeast-2',
    'ap-southeast-4', 'unspecified'
  ])
})

t.test('another partition gets ARNs of its own', async (t) => {
  const [statement] = identityPolicy(await shippedConfigWith({
    regions: ['us-gov-west-1'], partitions: ['aws-us-gov'], inferenceProfilePrefixes: ['us-gov']
  })).Statement
  t.strictSame(statement!.Resource, [
    'arn:aws-us-gov:bedrock:*::foundation-model/*',
    'arn:aws-us-gov:bedrock:*:*:provisioned-model/*',
    'arn:aws-us-gov:bedrock:*:*:imported-model/*',
    'arn:aws-us-gov:bedrock:*:*:inference-profile/*'
  ])
  t.strictSame(statement!.Condition!.StringLikeIfExists, {
    'bedrock:InferenceProfileArn': 'arn:aws-us-gov:bedrock:*:*:inference-profile/us-gov.*'
  })
})

const APP_PROFILE_ARN = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6'
const OTHER_APP_PROFILE_ARN = 'arn:aws:bedrock:us-west-2:111122223333:application-inference-profile/z9y8x7w6v5u4'
const ROUTER_ARN = 'arn:aws:bedrock:us-east-1:111122223333:default-prompt-router/anthropic.claude:1'

function statementNamed (policy: PolicyDocument, sid: string): PolicyStatement | undefined {
  return policy.Statement.find((statement) => statement.Sid === sid)
}

t.test('application profiles listed by ARN get a statement of their own, and their models one conditioned on them', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({
    applicationInferenceProfiles: { only: [APP_PROFILE_ARN, OTHER_APP_PROFILE_ARN], resolve: false }
  }))
  t.match(statementNamed(policy, 'AllowBedrockModelInvocationInAUSCANNZUKUSApplicationProfiles'), {
    Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
    Resource: [APP_PROFILE_ARN, OTHER_APP_PROFILE_ARN]
  })
  const models = statementNamed(policy, 'AllowBedrockModelInvocationInAUSCANNZUKUSApplicationProfileModels')
  t.strictSame(models?.Resource, ['arn:aws:bedrock:*::foundation-model/*'])
  t.strictSame(models?.Condition?.ArnLike, { 'bedrock:InferenceProfileArn': [APP_PROFILE_ARN, OTHER_APP_PROFILE_ARN] })
})

t.test('the statements for routed resources keep the region fence, so IAM refuses a destination outside it', async (t) => {
  const config = await shippedConfigWith({ applicationInferenceProfiles: { only: [APP_PROFILE_ARN], resolve: false } })
  for (const sid of ['ApplicationProfiles', 'ApplicationProfileModels']) {
    const statement = statementNamed(identityPolicy(config), `AllowBedrockModelInvocationInAUSCANNZUKUS${sid}`)
    t.strictSame(statement?.Condition?.StringEquals, { 'aws:RequestedRegion': [...config.allow.regions] }, sid)
  }
})

t.test('prompt routers listed by ARN reach foundation models and system profiles through bedrock:PromptRouterArn', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({ promptRouters: { only: [ROUTER_ARN], resolve: false } }))
  t.match(statementNamed(policy, 'AllowBedrockModelInvocationInAUSCANNZUKUSPromptRouters'), { Resource: [ROUTER_ARN] })
  t.match(statementNamed(policy, 'AllowBedrockModelInvocationInAUSCANNZUKUSPromptRouterModels'), {
    Condition: { ArnLike: { 'bedrock:PromptRouterArn': ROUTER_ARN } },
    Resource: ['arn:aws:bedrock:*::foundation-model/*', 'arn:aws:bedrock:*:*:inference-profile/*']
  })
})

t.test('resolve and deny add no statement: IAM cannot ask AWS where a resource runs', async (t) => {
  for (const rule of [{ resolve: true }, { only: [], resolve: false }]) {
    const policy = identityPolicy(await shippedConfigWith({ applicationInferenceProfiles: rule, promptRouters: rule }))
    t.equal(renderPolicy(policy), golden('iam-seed.json'), JSON.stringify(rule))
  }
})

t.test('operations without a model (guardrails, async-invoke reads) never reach routed resources', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({
    operations: ['ApplyGuardrail', 'GetAsyncInvoke', 'ListAsyncInvokes'],
    applicationInferenceProfiles: { only: [APP_PROFILE_ARN], resolve: false }
  }))
  t.strictSame(policy.Statement.map(({ Sid }) => Sid),
    ['AllowBedrockModelInvocationInAUSCANNZUKUS', 'AllowBedrockModelInvocationInAUSCANNZUKUSUnscoped'])
})

t.test('a config listing application profiles and prompt routers prints byte for byte as its golden file', async (t) => {
  const path = writeConfig(t, `${MINIMAL_CONFIG}  applicationInferenceProfiles: [${APP_PROFILE_ARN}]
  promptRouters: ["${ROUTER_ARN}"]
  operations: [Converse, ConverseStream, CountTokens]
policy: { sid: ListedRoutedResources }
`)
  t.equal(renderPolicy(identityPolicy(await loadConfig(path, {}))), golden('iam-routed-listed.json'))
})
