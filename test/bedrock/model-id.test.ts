import t from 'tap'
import { checkModelIdText, decodeModelIdLabel, parseModelId } from '../../src/bedrock/model-id.ts'

t.test('decodeModelIdLabel: raw ":" and "%3A" give the same id', async (t) => {
  t.same(decodeModelIdLabel('anthropic.claude-v2:1'), { ok: true, text: 'anthropic.claude-v2:1' })
  t.same(decodeModelIdLabel('anthropic.claude-v2%3A1'), { ok: true, text: 'anthropic.claude-v2:1' })
  t.same(decodeModelIdLabel('arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fanthropic.x'), { ok: true, text: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.x' })
})

t.test('decodeModelIdLabel refuses what a second decoder could read differently', async (t) => {
  const refused = ['us.x%252Fy', 'us.x%253A0', 'us.x%zz', 'us.x%', 'us/x', 'us.x%0A', 'us.x%00', '%2e%2e', '%2E', '', 'arn:aws:bedrock:us-east-1::foundation-model%2F..%2Fx']
  for (const raw of refused) t.notOk(decodeModelIdLabel(raw).ok, raw)
})

t.test('decodeModelIdLabel limits the decoded length, 2048 by default', async (t) => {
  t.ok(decodeModelIdLabel(`anthropic.${'a'.repeat(2038)}`).ok)
  t.notOk(decodeModelIdLabel(`anthropic.${'a'.repeat(2039)}`).ok)
  t.ok(decodeModelIdLabel(`anthropic.${'a'.repeat(246)}`, 256).ok)
  t.notOk(decodeModelIdLabel(`anthropic.${'a'.repeat(247)}`, 256).ok)
  t.notOk(decodeModelIdLabel('%41'.repeat(3000)).ok, 'an encoded label that decodes too long')
})

t.test('checkModelIdText refuses leftovers of double encoding, control characters and dot segments', async (t) => {
  t.same(checkModelIdText('us.anthropic.x:0'), { ok: true, text: 'us.anthropic.x:0' })
  for (const text of ['us.x%2F', 'us.x\u0000', 'us.x\u0085', '.', '..', 'arn:aws:bedrock:us-east-1:1:inference-profile/../x', '']) {
    t.notOk(checkModelIdText(text).ok, JSON.stringify(text))
  }
})

t.test('parseModelId: a known provider first makes a foundation model', async (t) => {
  for (const id of ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'amazon.titan-embed-text-v2:0', 'meta.llama3-1-70b-instruct-v1:0', 'moonshotai.kimi-k2.5']) {
    t.same(parseModelId(id), { ok: true, id: { kind: 'foundation-model', text: id } }, id)
  }
})

t.test('parseModelId: a known prefix first makes an inference profile', async (t) => {
  for (const prefix of ['us', 'us-gov', 'eu', 'apac', 'au', 'jp', 'ca', 'global']) {
    const id = `${prefix}.anthropic.claude-3-5-sonnet-20241022-v2:0`
    t.same(parseModelId(id), { ok: true, id: { kind: 'inference-profile', text: id, prefix } }, id)
  }
})

t.test('parseModelId: any other first segment is a profile prefix too, so it cannot pass as a foundation model', async (t) => {
  for (const [id, prefix] of [['US.anthropic.x-v1:0', 'US'], ['Eu.anthropic.x', 'Eu'], ['newco.model-v1:0', 'newco'], ['Anthropic.claude-v2', 'Anthropic']] as const) {
    t.same(parseModelId(id), { ok: true, id: { kind: 'inference-profile', text: id, prefix } }, id)
  }
})

t.test('parseModelId: an id with a known prefix needs a provider and a model', async (t) => {
  t.same(parseModelId('us.anthropic'), { ok: false, reason: 'MALFORMED_REQUEST', message: 'inference-profile id "us.anthropic" is not <prefix>.<provider>.<model>' })
})

t.test('parseModelId: an undotted id is a kind the gateway cannot place', async (t) => {
  const parsed = parseModelId('my-provisioned-model')
  t.same(parsed.ok === false && parsed.reason, 'MODEL_KIND_NOT_ALLOWED')
})

t.test('parseModelId: characters outside model ids are malformed', async (t) => {
  for (const id of ['us.x/y', 'us.x y', 'us.x;y', 'us\u2024anthropic.x', 'us.x\\y', 'us..x', '.us.x', 'us.x.']) {
    const parsed = parseModelId(id)
    t.same(parsed.ok === false && parsed.reason, 'MALFORMED_REQUEST', JSON.stringify(id))
  }
})

t.test('parseModelId: ARNs carry their fields, and profile ARNs their prefix', async (t) => {
  const profile = parseModelId('arn:aws:bedrock:eu-west-2:111122223333:inference-profile/global.anthropic.x')
  t.same(profile.ok && profile.id.kind === 'arn' && [profile.id.prefix, profile.id.arn.region], ['global', 'eu-west-2'])
  const fm = parseModelId('arn:aws:bedrock:us-east-1::foundation-model/anthropic.x')
  t.same(fm.ok && fm.id.kind === 'arn' && [fm.id.prefix, fm.id.arn.resourceType], [undefined, 'foundation-model'])
  const app = parseModelId('arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6')
  t.same(app.ok && app.id.kind === 'arn' && app.id.arn.resourceType, 'application-inference-profile')
})

t.test('parseModelId: an ARN whose type and id disagree is malformed', async (t) => {
  for (const id of [
    'arn:aws:bedrock:us-east-1::foundation-model/us.anthropic.x',
    'arn:aws:bedrock:us-east-1::foundation-model/global.anthropic.x',
    'arn:aws:bedrock:us-east-1:111122223333:inference-profile/anthropic.claude-v2',
    'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc',
    'arn:aws:bedrock:us-east-1:111122223333:async-invoke/a1b2c3d4e5f6',
    'Arn:aws:bedrock:us-east-1::foundation-model/anthropic.x',
    'arn:aws:bedrock:us-east-1:111122223333:inference-profile'
  ]) {
    const parsed = parseModelId(id)
    t.same(parsed.ok === false && parsed.reason, 'MALFORMED_REQUEST', id)
  }
})
