import { readFileSync } from 'node:fs'
import t from 'tap'
import { serviceControlPolicy } from '../../src/policy/scp-policy.ts'
import { renderPolicy } from '../../src/policy/policy-document.ts'
import { shippedConfig, shippedConfigWith } from '../support/shipped-config.ts'

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

const SEED_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-2',
  'ap-southeast-2', 'ap-southeast-4']
const INFERENCE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:CreateModelInvocationJob']

t.test('the shipped config gives AWS\'s approved-regions-with-cross-region-inference pattern, plus the global block', async (t) => {
  t.strictSame(serviceControlPolicy(await shippedConfig()), {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyBedrockOutsideApprovedRegions',
        Effect: 'Deny',
        NotAction: INFERENCE_ACTIONS,
        Condition: { StringNotEquals: { 'aws:RequestedRegion': SEED_REGIONS } },
        Resource: 'arn:aws:bedrock:*:*:*'
      },
      {
        Sid: 'DenyBedrockInferenceOutsideApprovedRegions',
        Effect: 'Deny',
        Action: INFERENCE_ACTIONS,
        Condition: {
          StringNotEquals: { 'aws:RequestedRegion': SEED_REGIONS },
          ArnNotLike: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:*:*:inference-profile/us.*' }
        },
        Resource: '*'
      },
      {
        Sid: 'DenyBedrockGlobalInference',
        Effect: 'Deny',
        Action: 'bedrock:*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'unspecified' } },
        Resource: '*'
      }
    ]
  })
})

t.test('the seed SCP prints byte for byte as its golden file', async (t) => {
  t.equal(renderPolicy(serviceControlPolicy(await shippedConfig())), golden('scp-seed.json'))
})

t.test('allowing global drops the unspecified-region block and lets global profiles through', async (t) => {
  const policy = serviceControlPolicy(await shippedConfigWith({ inferenceProfilePrefixes: ['us', 'global'] }))
  t.notOk(policy.Statement.some((statement) => statement.Sid === 'DenyBedrockGlobalInference'))
  t.strictSame(policy.Statement[1]!.Condition!.ArnNotLike, {
    'bedrock:InferenceProfileArn': ['arn:aws:bedrock:*:*:inference-profile/us.*', 'arn:aws:bedrock:*:*:inference-profile/global.*']
  })
  t.equal(renderPolicy(policy), golden('scp-global-allowed.json'))
})

t.test('without profile prefixes no profile is carved out of the inference Deny', async (t) => {
  const policy = serviceControlPolicy(await shippedConfigWith({ inferenceProfilePrefixes: [] }))
  t.strictSame(policy.Statement[1]!.Condition, { StringNotEquals: { 'aws:RequestedRegion': SEED_REGIONS } })
  t.equal(renderPolicy(policy), golden('scp-no-profiles.json'))
})
