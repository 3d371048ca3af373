import t from 'tap'
import { parseArn, parseAsyncInvokeArn } from '../../src/bedrock/arn.ts'

const ACCOUNT = '111122223333'

t.test('parses every ARN type bedrock-runtime accepts into its fields', async (t) => {
  const valid: [string, string, string][] = [
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1', 'foundation-model', 'anthropic.claude-v2:1'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-v2:1`, 'inference-profile', 'us.anthropic.claude-v2:1'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`, 'application-inference-profile', 'a1b2c3d4e5f6'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:provisioned-model/a1b2c3d4e5f6`, 'provisioned-model', 'a1b2c3d4e5f6'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:imported-model/a1b2c3d4e5f6`, 'imported-model', 'a1b2c3d4e5f6'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model-deployment/a1b2c3d4e5f6`, 'custom-model-deployment', 'a1b2c3d4e5f6'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:custom-model/amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6`, 'custom-model', 'amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1234`, 'prompt', 'PROMPT1234'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1234:3`, 'prompt', 'PROMPT1234:3'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:default-prompt-router/anthropic.claude:1`, 'default-prompt-router', 'anthropic.claude:1'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt-router/a1b2c3d4e5f6`, 'prompt-router', 'a1b2c3d4e5f6'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/gr0abc`, 'guardrail', 'gr0abc'],
    [`arn:aws:bedrock:us-east-1:${ACCOUNT}:async-invoke/a1b2c3d4e5f6`, 'async-invoke', 'a1b2c3d4e5f6'],
    [`arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/my-endpoint-1`, 'endpoint', 'my-endpoint-1']
  ]
  for (const [text, resourceType, resourceId] of valid) {
    const parsed = parseArn(text)
    t.ok(parsed.ok, text)
    if (parsed.ok) t.same(parsed.arn, { partition: 'aws', service: text.split(':')[2], region: 'us-east-1', account: text.split(':')[4], resourceType, resourceId, text })
  }
})

t.test('other partitions parse; allowing them is the engine\'s business', async (t) => {
  const parsed = parseArn(`arn:aws-us-gov:bedrock:us-gov-west-1:${ACCOUNT}:inference-profile/us-gov.anthropic.x`)
  t.same(parsed.ok && [parsed.arn.partition, parsed.arn.region], ['aws-us-gov', 'us-gov-west-1'])
})

t.test('only the foundation-model ARN may lack a region', async (t) => {
  const regionless = parseArn('arn:aws:bedrock:::foundation-model/anthropic.claude-v2:1')
  t.same(regionless.ok && regionless.arn.region, '')
  t.notOk(parseArn(`arn:aws:bedrock::${ACCOUNT}:inference-profile/us.anthropic.x`).ok)
})

t.test('refuses what does not parse', async (t) => {
  const invalid = [
    'arn:aws:bedrock:us-east-1',
    'arn:aws:bedrock:us-east-1:111122223333',
    'ARN:aws:bedrock:us-east-1::foundation-model/anthropic.x',
    'arn:AWS:bedrock:us-east-1::foundation-model/anthropic.x',
    'arn:aws:bedrock:US-EAST-1::foundation-model/anthropic.x',
    'arn:aws:bedrock:us-east-1:111122223333:foundation-model/anthropic.x',
    'arn:aws:bedrock:us-east-1:1111:inference-profile/us.anthropic.x',
    'arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.x',
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent/a1b2c3d4e5f6`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us..x`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.x/../global.x`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/A1B2C3D4E5F6`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:provisioned-model/short`,
    `arn:aws:sagemaker:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.x`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:endpoint/my-endpoint`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/short`,
    `arn:aws:bedrock:us-east-1:${ACCOUNT}:guardrail/GR`
  ]
  for (const text of invalid) {
    const parsed = parseArn(text)
    t.notOk(parsed.ok, text)
    if (!parsed.ok) t.match(parsed.message, /^ARN "/)
  }
})

t.test('an async-invoke ARN with its region', async (t) => {
  const parsed = parseAsyncInvokeArn('arn:aws:bedrock:us-west-2:111122223333:async-invoke/a1b2c3d4e5f6')
  t.same(parsed.ok && parsed.id.kind === 'arn' && [parsed.id.arn.resourceType, parsed.id.arn.region], ['async-invoke', 'us-west-2'])
})

t.test('refuses other ARNs and non-ARNs', async (t) => {
  for (const text of ['a1b2c3d4e5f6', 'arn:aws:bedrock:us-west-2:111122223333:guardrail/abc', 'arn:aws:bedrock:us-west-2:111122223333:async-invoke/short']) {
    t.notOk(parseAsyncInvokeArn(text).ok, text)
  }
})
