import t from 'tap'
import { readJsonObject } from '../../src/bedrock/json-body.ts'
import { watchPaths } from '../../src/bedrock/find-ambiguous-key.ts'

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
