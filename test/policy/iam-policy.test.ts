import { readFileSync } from 'node:fs'
import t from 'tap'
import { identityPolicy } from '../../src/policy/iam-policy.ts'
import { renderPolicy } from '../../src/policy/policy-document.ts'
import { shippedConfig, shippedConfigWith } from '../support/shipped-config.ts'

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

/** Issue 2's seed policy, verbatim. */
const SEED_POLICY = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowBedrockModelInvocationInAUSCANNZUKUS","Effect":"Allow",
"Action":["bedrock:InvokeModel","bedrock:InvokeModelWithResponseStream"],
"Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2","us-west-1","us-west-2","ca-central-1","ca-west-1","eu-west-2","ap-southeast-2","ap-southeast-4"]},
"StringLikeIfExists":{"bedrock:InferenceProfileArn":"arn:aws:bedrock:*:*:inference-profile/us.*"}},
"Resource":["arn:aws:bedrock:*::foundation-model/*","arn:aws:bedrock:*:*:provisioned-model/*","arn:aws:bedrock:*:*:imported-model/*","arn:aws:bedrock:*:*:inference-profile/*"]}]}`

t.test('the shipped config gives the seed policy of issue 2', async (t) => {
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
