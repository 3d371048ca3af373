import t from 'tap'
import { parseModelId } from '../../src/bedrock/model-id.ts'
import { profilePrefixOf } from '../../src/bedrock/profile-prefixes.ts'

function prefixOfModel (modelId: string): string | undefined {
  const parsed = parseModelId(modelId)
  if (!parsed.ok) throw new Error(parsed.message)
  return profilePrefixOf(parsed.id)
}

t.test('a profile id and a system profile ARN carry their prefix', async (t) => {
  t.equal(prefixOfModel('eu.anthropic.claude-3-7-sonnet-20250219-v1:0'), 'eu')
  t.equal(prefixOfModel('arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0'), 'global')
})

t.test('a foundation model and a guardrail id carry none', async (t) => {
  t.equal(prefixOfModel('anthropic.claude-3-5-sonnet-20241022-v2:0'), undefined)
  t.equal(profilePrefixOf({ kind: 'guardrail-id', text: 'abc123xyz789' }), undefined)
})
