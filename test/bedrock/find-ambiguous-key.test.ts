import t from 'tap'
import { findAmbiguousKey, watchPaths } from '../../src/bedrock/find-ambiguous-key.ts'

const modelId = watchPaths([['modelId']])
const guardrail = watchPaths([['guardrailConfig', 'guardrailIdentifier']])

t.test('finds nothing in ordinary bodies', async (t) => {
  t.equal(findAmbiguousKey('{"modelId":"us.x.y","modelInput":{"modelId":"other","a":[1,{"b":"c\\"}"}]}}', modelId), undefined)
  t.equal(findAmbiguousKey(' { "messages" : [ ] , "guardrailConfig" : { "guardrailIdentifier" : "abc" , "guardrailVersion" : "1" } } ', guardrail), undefined)
  t.equal(findAmbiguousKey('{"guardrailConfig":null,"n":-1.5e3,"t":true}', guardrail), undefined)
})

t.test('finds a repeated key in a watched object', async (t) => {
  t.equal(findAmbiguousKey('{"modelId":"a.b.c","modelId":"d.e.f"}', modelId), 'modelId')
  t.equal(findAmbiguousKey('{"modelId":"a.b.c","model\\u0049d":"d.e.f"}', modelId), 'modelId')
  t.equal(findAmbiguousKey('{"guardrailConfig":{"guardrailIdentifier":"a","guardrailIdentifier":"b"}}', guardrail), 'guardrailIdentifier')
  t.equal(findAmbiguousKey('{"x":1,"X":2}', modelId), 'X', 'keys that differ only in case, even unwatched ones, in a watched object')
})

t.test('finds an identifier key spelled in another case', async (t) => {
  t.equal(findAmbiguousKey('{"ModelId":"global.a.b"}', modelId), 'ModelId')
  t.equal(findAmbiguousKey('{"GUARDRAILCONFIG":{"guardrailIdentifier":"x"}}', guardrail), 'GUARDRAILCONFIG')
  t.equal(findAmbiguousKey('{"guardrailConfig":{"guardrailidentifier":"x"}}', guardrail), 'guardrailidentifier')
  t.equal(findAmbiguousKey('{"modelıd":"global.a.b"}', modelId), 'modelıd', 'a dotless i upper-cases to I')
})

t.test('ignores repeated keys outside the watched objects', async (t) => {
  t.equal(findAmbiguousKey('{"modelId":"a.b.c","modelInput":{"k":1,"k":2}}', modelId), undefined)
  t.equal(findAmbiguousKey('{"messages":[{"role":"user","role":"assistant"}]}', guardrail), undefined)
})

t.test('skips long strings with escaped quotes and backslashes correctly', async (t) => {
  const tricky = JSON.stringify({ a: 'x\\"}{"modelId":"global.a.b"\\\\', modelId: 'us.a.b' })
  t.equal(findAmbiguousKey(tricky, modelId), undefined)
  t.equal(findAmbiguousKey(JSON.stringify({ image: 'A'.repeat(1_000_000) }).replace('}', ',"modelId":"1","modelId":"2"}'), modelId), 'modelId')
})
