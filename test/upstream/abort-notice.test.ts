import t from 'tap'
import { Agent } from 'undici'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { ABORT_EVENT, AbortNotice } from '../../src/upstream/abort-notice.ts'

t.test('a notice starts unaborted and throwIfAborted lets the call go on', async (t) => {
  const notice = new AbortNotice()
  t.equal(notice.aborted, false)
  t.equal(notice.reason, undefined)
  t.doesNotThrow(() => notice.throwIfAborted())
})

t.test('the first abort sets the reason and tells each listener once; later aborts change nothing', async (t) => {
  const notice = new AbortNotice()
  const heard: unknown[] = []
  notice.on(ABORT_EVENT, (reason: unknown) => heard.push(reason))
  const first = new Error('first')
  notice.abort(first)
  notice.abort(new Error('second'))
  t.equal(notice.aborted, true)
  t.equal(notice.reason, first)
  t.same(heard, [first])
  t.throws(() => notice.throwIfAborted(), first)
})

t.test('undici takes a notice as a request signal: aborting it ends a request still waiting for its response with the reason', async (t) => {
  const server = createServer(() => { /* never answers */ })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const agent = new Agent()
  t.teardown(async () => { server.closeAllConnections(); server.close(); await agent.close() })
  const { port } = server.address() as AddressInfo
  const notice = new AbortNotice()
  const reason = new Error('the caller left')
  const pending = agent.request({ origin: `http://127.0.0.1:${port}`, method: 'GET', path: '/', signal: notice })
  setTimeout(() => notice.abort(reason), 50)
  await t.rejects(pending, reason)
})
