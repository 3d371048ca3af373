import { readFileSync } from 'node:fs'
import t from 'tap'
import type { OperationName } from '../../src/bedrock/operation-names.ts'
import { identityPolicy } from '../../src/policy/iam-policy.ts'
import { renderPolicy } from '../../src/policy/policy-document.ts'
import { serviceControlPolicy } from '../../src/policy/scp-policy.ts'
import { shippedConfig, shippedConfigWith } from '../support/shipped-config.ts'

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

/** The runtime's OpenAI paths and bedrock-mantle allowed beside Converse. */
const DOORS: readonly OperationName[] = ['Converse', 'OpenAIChatCompletions', 'OpenAIResponses', 'MantleMessages', 'MantleCountTokens']

t.test('the runtime\'s OpenAI operations add the streaming action, and mantle gets a statement of its own', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({ operations: [...DOORS] }))
  t.same(policy.Statement.map((statement) => 'Action' in statement ? statement.Action : undefined), [
    ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
    ['bedrock-mantle:CreateInference', 'bedrock-mantle:CountTokens']
  ])
  t.equal(renderPolicy(policy), golden('iam-doors.json'))
})

t.test('mantle alone gives only the mantle statement', async (t) => {
  const policy = identityPolicy(await shippedConfigWith({ operations: ['MantleChatCompletions'] }))
  t.same(policy.Statement.map((statement) => statement.Sid), ['AllowBedrockModelInvocationInAUSCANNZUKUSMantle'])
})

t.test('the SCP denies bedrock-mantle outside the approved regions once mantle is allowed', async (t) => {
  const policy = serviceControlPolicy(await shippedConfigWith({ operations: [...DOORS] }))
  t.equal(renderPolicy(policy), golden('scp-doors.json'))
})

t.test('the SCP of an allowlist without mantle has no mantle statement', async (t) => {
  const policy = serviceControlPolicy(await shippedConfig())
  t.notOk(policy.Statement.some((statement) => statement.Sid === 'DenyBedrockMantleOutsideApprovedRegions'))
})
