import t from 'tap'
import { factsForModel } from '../../src/policy/facts-for-model.ts'
import { decide } from '../../src/policy/engine.ts'
import { decideRequest } from '../support/decide-request.ts'
import { SEED_ALLOW } from '../support/seed-allowlist.ts'

const US = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'

t.test('builds the facts a request for that model would give', async (t) => {
  t.same(factsForModel('Converse', 'us-east-1', US), {
    ok: true,
    facts: { operation: 'Converse', region: 'us-east-1', identifiers: [{ location: 'path.modelId', id: { kind: 'inference-profile', text: US, prefix: 'us' } }] }
  })
  const async = factsForModel('StartAsyncInvoke', 'us-east-1', US)
  t.same(async.ok && async.facts.identifiers[0]?.location, 'body.modelId')
})

t.test('takes an ARN as an SDK caller writes it, with its raw slash', async (t) => {
  const facts = factsForModel('InvokeModel', 'us-east-1', 'arn:aws:bedrock:eu-west-3:111122223333:inference-profile/us.anthropic.x')
  t.ok(facts.ok)
  if (facts.ok) t.equal(decide(facts.facts, SEED_ALLOW).reason, 'ARN_REGION_MISMATCH')
})

t.test('explains exactly what the gateway decides for the same request', async (t) => {
  const ids = [US, 'eu.anthropic.x', 'US.anthropic.x', 'global.anthropic.x', 'anthropic.claude-v2:1', 'newco.x',
    'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6', 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.x']
  for (const region of ['us-east-1', 'eu-west-2', 'eu-west-3']) {
    for (const id of ids) {
      const facts = factsForModel('Converse', region, id)
      const explained = facts.ok ? decide(facts.facts, SEED_ALLOW) : facts.decision
      const gateway = decideRequest({ target: `/model/${encodeURIComponent(id)}/converse`, body: '{}', region }, SEED_ALLOW)
      t.same(explained, gateway, `${id} in ${region}`)
    }
  }
})

t.test('refusals come back as decisions', async (t) => {
  const unknown = factsForModel('DeleteModel', 'us-east-1', US)
  t.same(!unknown.ok && unknown.decision.reason, 'UNKNOWN_OPERATION')
  const noModel = factsForModel('ListAsyncInvokes', 'us-east-1', US)
  t.same(!noModel.ok && noModel.decision.reason, 'MALFORMED_REQUEST')
  const encoded = factsForModel('Converse', 'us-east-1', encodeURIComponent(US))
  t.same(!encoded.ok && encoded.decision.reason, 'MALFORMED_REQUEST', 'a percent-encoded id is not what an SDK caller writes')
  const undotted = factsForModel('Converse', 'us-east-1', 'my-model')
  t.same(!undotted.ok && undotted.decision.reason, 'MODEL_KIND_NOT_ALLOWED')
  const tooLong = factsForModel('CountTokens', 'us-east-1', `anthropic.${'a'.repeat(300)}`)
  t.same(!tooLong.ok && tooLong.decision.reason, 'MALFORMED_REQUEST')
  t.ok(factsForModel('CountTokens', 'us-east-1', 'anthropic.x').ok, 'a short id is within the CountTokens limit')
})
