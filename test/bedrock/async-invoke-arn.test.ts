import t from 'tap'
import { parseAsyncInvokeArn } from '../../src/bedrock/async-invoke-arn.ts'

t.test('an async-invoke ARN with its region', async (t) => {
  const parsed = parseAsyncInvokeArn('arn:aws:bedrock:us-west-2:111122223333:async-invoke/a1b2c3d4e5f6')
  t.same(parsed.ok && parsed.id.kind === 'arn' && [parsed.id.arn.resourceType, parsed.id.arn.region], ['async-invoke', 'us-west-2'])
})

t.test('refuses other ARNs and non-ARNs', async (t) => {
  for (const text of ['a1b2c3d4e5f6', 'arn:aws:bedrock:us-west-2:111122223333:guardrail/abc', 'arn:aws:bedrock:us-west-2:111122223333:async-invoke/short']) {
    t.notOk(parseAsyncInvokeArn(text).ok, text)
  }
})
