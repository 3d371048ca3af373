import t from 'tap'
import { findAmbiguousKey, readJsonObject, topLevelMemberText, watchPaths } from '../../src/bedrock/json-body.ts'

const watched = watchPaths([['modelId']])
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

t.test('reads a JSON object', async (t) => {
  t.same(readJsonObject(bytes('{"modelId":"us.a.b","n":1}'), watched), { ok: true, value: { modelId: 'us.a.b', n: 1 } })
})

t.test('refuses bodies that are not a JSON object, without quoting them', async (t) => {
  for (const body of ['', 'SECRET', '[1]', 'null', '"text"', '{"a":1', '\ufeff{"modelId":"us.a.b"}']) {
    const read = readJsonObject(bytes(body), watched)
    t.notOk(read.ok, JSON.stringify(body))
    if (!read.ok) t.notMatch(read.message, 'SECRET')
  }
})

t.test('refuses bytes that are not UTF-8', async (t) => {
  t.notOk(readJsonObject(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), watched).ok)
})

t.test('refuses a repeated identifier key, naming only the key', async (t) => {
  t.same(readJsonObject(bytes('{"modelId":"us.a.b","modelId":"global.a.b"}'), watched),
    { ok: false, message: 'request body key "modelId" is repeated, or is an identifier key spelled in another case' })
})

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

const collaborators = watchPaths([['collaborators[]', 'knowledgeBases[]', 'knowledgeBaseId']])

t.test('a list step watches every element of the list', async (t) => {
  t.equal(findAmbiguousKey('{"collaborators":[{"knowledgeBases":[{"knowledgeBaseId":"A"}]},{"knowledgeBases":[{"knowledgeBaseId":"B","knowledgeBaseId":"C"}]}]}', collaborators),
    'knowledgeBaseId')
})

t.test('an identifier key spelled in another case inside a list element is ambiguous', async (t) => {
  t.equal(findAmbiguousKey('{"collaborators":[{"KnowledgeBases":[]}]}', collaborators), 'KnowledgeBases')
})

t.test('distinct list elements may each hold the identifier key once', async (t) => {
  t.equal(findAmbiguousKey('{"collaborators":[{"knowledgeBases":[{"knowledgeBaseId":"A"},{"knowledgeBaseId":"B"}]},[],"x",1]}', collaborators), undefined)
})

t.test('a top-level member is found past values of every kind, and the last of two is the one JSON.parse keeps', async (t) => {
  const text = ' { "output" : {"usage": {"inputTokens": 1}, "text": "a \\"usage\\": } ]"}, "list": [1, [2, {"usage": 3}]], "n": -1.5e3, ' +
    '"flag": true, "none": null, "usage": {"inputTokens": 7}, "usage" : {"inputTokens": 8} }\n'
  t.equal(JSON.stringify(JSON.parse(text).usage), '{"inputTokens":8}', 'the fixture is valid JSON')
  t.equal(topLevelMemberText(text, 'usage'), '{"inputTokens": 8}')
  t.equal(topLevelMemberText(text, 'n'), '-1.5e3')
  t.equal(topLevelMemberText(text, 'missing'), undefined)
})

t.test('a key spelled with escapes is the key it decodes to', async (t) => {
  t.equal(topLevelMemberText('{"\\u0075sage": 5}', 'usage'), '5')
})

t.test('text that is not one whole object yields no member', async (t) => {
  const whole = '{"usage": {"inputTokens": 1}, "metrics": {"latencyMs": 4}}'
  for (const broken of [whole.slice(0, -1), whole.slice(0, -12), `${whole} {}`, `[${whole}]`, '{"usage" 1}', '{"usage": 1 "x": 2}', '{usage: 1}', '']) {
    t.equal(topLevelMemberText(broken, 'usage'), undefined, broken)
  }
})
