import t from 'tap'
import { matchRoute } from '../../src/bedrock/match-route.ts'

const segments = (path: string): string[] => path.slice(1).split('/')

t.test('matches each operation by method and path, keeping labels raw', async (t) => {
  const matched = matchRoute('POST', segments('/model/us.x%3A0/converse-stream'))
  t.same(matched.kind === 'matched' && [matched.operation, Object.fromEntries(matched.rawLabels)], ['ConverseStream', { modelId: 'us.x%3A0' }])
  const guardrail = matchRoute('POST', segments('/guardrail/abc/version/DRAFT/apply'))
  t.same(guardrail.kind === 'matched' && [guardrail.operation, Object.fromEntries(guardrail.rawLabels)],
    ['ApplyGuardrail', { guardrailIdentifier: 'abc', guardrailVersion: 'DRAFT' }])
  const list = matchRoute('GET', segments('/async-invoke'))
  t.same(list.kind === 'matched' && list.operation, 'ListAsyncInvokes')
  const start = matchRoute('POST', segments('/async-invoke'))
  t.same(start.kind === 'matched' && start.operation, 'StartAsyncInvoke')
})

t.test('recognises a raw slash inside the first label', async (t) => {
  t.same(matchRoute('POST', segments('/model/arn:aws:bedrock:us-east-1:1:inference-profile/us.x/invoke')),
    { kind: 'slash-in-label', operation: 'InvokeModel', label: 'modelId' })
  t.same(matchRoute('GET', segments('/async-invoke/arn:aws:bedrock:us-east-1:1:async-invoke/a1b2c3d4e5f6')),
    { kind: 'slash-in-label', operation: 'GetAsyncInvoke', label: 'invocationArn' })
  t.same(matchRoute('POST', segments('/guardrail/arn:aws:bedrock:us-east-1:1:guardrail/abc/version/1/apply')),
    { kind: 'slash-in-label', operation: 'ApplyGuardrail', label: 'guardrailIdentifier' })
})

t.test('anything else matches nothing', async (t) => {
  for (const [method, path] of [['GET', '/model/x.y/invoke'], ['POST', '/model/x.y'], ['POST', '/model/x.y/invoke/more'], ['PUT', '/async-invoke'], ['POST', '/guardrail/abc/version/1'], ['post', '/model/x.y/invoke']] as const) {
    t.same(matchRoute(method, segments(path)), { kind: 'none' }, `${method} ${path}`)
  }
})
