import t from 'tap'
import { indexHeaders } from '../../src/auth/index-headers.ts'

t.test('names are lower-cased and repeated headers keep every value in arrival order', async (t) => {
  const index = indexHeaders(['X-A', '1', 'Host', 'h', 'x-a', '2', 'X-A', '3'])
  t.same([...index.entries()], [['x-a', ['1', '2', '3']], ['host', ['h']]])
})

t.test('HTTP/2 pseudo-headers are left out', async (t) => {
  const index = indexHeaders([':method', 'POST', ':authority', 'h:1', ':path', '/x', 'content-type', 'application/json'])
  t.same([...index.keys()], ['content-type'])
})
