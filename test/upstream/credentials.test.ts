import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AwsCredentialIdentity } from '@smithy/types'
import { createCredentialSource } from '../../src/upstream/credentials.ts'

const config = { sessionName: 'bedrock-geofence', refreshBeforeExpirySeconds: 2 }

/** A credential issuer like STS or a metadata endpoint: every call hands out new keys living `lifetimeMs`. */
function issuer (lifetimeMs?: number) {
  const issued: AwsCredentialIdentity[] = []
  let failing = false
  const provide = async (): Promise<AwsCredentialIdentity> => {
    if (failing) throw new Error('metadata endpoint unreachable')
    const credentials = {
      accessKeyId: `ASIAFAKE${issued.length}`,
      secretAccessKey: `secret-${issued.length}`,
      sessionToken: `token-${issued.length}`,
      expiration: lifetimeMs === undefined ? undefined : new Date(Date.now() + lifetimeMs)
    }
    issued.push(credentials)
    return credentials
  }
  return { provide, issued, fail: () => { failing = true }, recover: () => { failing = false } }
}

t.test('concurrent first requests share a single fetch', async (t) => {
  let calls = 0
  const source = createCredentialSource(config, async () => {
    calls++
    await sleep(50)
    return { accessKeyId: 'AKIDSLOW', secretAccessKey: 'secret' }
  })
  const results = await Promise.all(Array.from({ length: 50 }, () => source.get()))
  t.equal(calls, 1)
  t.ok(results.every((credentials) => credentials.accessKeyId === 'AKIDSLOW'))
})

t.test('cached credentials are never fetched again per request', async (t) => {
  const { provide, issued } = issuer(60 * 60 * 1000)
  const source = createCredentialSource(config, provide)
  for (let i = 0; i < 1000; i++) await source.get()
  t.equal(issued.length, 1)
})

t.test('short-lived credentials are replaced in the background before they expire', async (t) => {
  const { provide, issued } = issuer(3_000)
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  await source.start()
  t.equal(issued.length, 1)
  await sleep(1_400)
  t.equal(issued.length, 2, 'refreshed once, about 2 s before the first ones expire')
  const first = issued[0] as AwsCredentialIdentity
  t.ok((first.expiration as Date).getTime() > Date.now() + 1_000, 'while the first ones were still valid')
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE1')
  t.equal(issued.length, 2, 'the request did not fetch')
})

t.test('while a refresh fails the current credentials stay in use, and expired ones are never handed out', async (t) => {
  const { provide, issued, fail } = issuer(2_500)
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  await source.start()
  fail()
  await sleep(1_000)
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE0')
  t.match(source.status(), { ok: true, error: /metadata endpoint unreachable/ })
  await sleep(1_100)
  await t.rejects(source.get(), { name: 'ServiceUnavailableException', status: 503 })
  t.match(source.status(), { ok: false, expiresAt: issued[0]?.expiration, error: /metadata endpoint unreachable/ })
})

t.test('during an outage requests are refused at once, not each sent to the provider', async (t) => {
  let calls = 0
  const source = createCredentialSource(config, async () => { calls++; throw new Error('metadata endpoint unreachable') })
  for (let i = 0; i < 100; i++) await t.rejects(source.get(), { name: 'ServiceUnavailableException', status: 503 })
  t.equal(calls, 1)
  await sleep(1_100)
  await t.rejects(source.get(), { name: 'ServiceUnavailableException' })
  t.equal(calls, 2, 'asked again once the retry was due')
})

t.test('credentials that arrive already expired are refused', async (t) => {
  const { provide } = issuer(-1)
  const source = createCredentialSource(config, provide)
  await t.rejects(source.get(), { name: 'ServiceUnavailableException', status: 503 })
  t.match(source.status(), { ok: false, error: /already expired/ })
})

t.test('a failed first fetch is retried in the background until it succeeds', async (t) => {
  const { provide, fail, recover } = issuer(60 * 60 * 1000)
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  fail()
  await source.start()
  t.match(source.status(), { ok: false, error: /unreachable/ })
  recover()
  await sleep(1_300)
  t.match(source.status(), { ok: true, error: undefined })
})

t.test('credentials without an expiry are fetched once and reported without one', async (t) => {
  const { provide, issued } = issuer()
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  await source.start()
  await source.get()
  t.same(source.status(), { ok: true, expiresAt: undefined, error: undefined })
  t.equal(issued.length, 1)
})

t.test('without start() a due refresh is begun by a request, which is served the current credentials meanwhile', async (t) => {
  const { provide, issued } = issuer(3_000)
  const source = createCredentialSource(config, provide)
  await source.get()
  await sleep(1_100)
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE0', 'served at once with the still-valid credentials')
  await sleep(20)
  t.equal(issued.length, 2)
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE1')
})
