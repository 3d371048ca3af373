import { readFileSync } from 'node:fs'
import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { SHIPPED_CONFIG_PATH } from '../support/shipped-config.ts'

function golden (name: string): string {
  return readFileSync(new URL(`../policy/fixtures/${name}`, import.meta.url), 'utf8')
}

t.test('policy prints the identity policy by default', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--config', SHIPPED_CONFIG_PATH], io), 0)
  t.equal(io.out(), golden('iam-seed.json'))
  t.equal(io.err(), '')
})

t.test('policy --format scp prints the service control policy', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--format', 'scp', '--config', SHIPPED_CONFIG_PATH], io), 0)
  t.equal(io.out(), golden('scp-seed.json'))
})

t.test('an unknown format is a usage error naming the choices', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--format', 'json', '--config', SHIPPED_CONFIG_PATH], io), 2)
  t.equal(io.out(), '')
  t.match(io.err(), 'Allowed choices are iam, scp.')
})

t.test('policy --for gateway prints the gateway role\'s policy', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--for', 'gateway', '--config', SHIPPED_CONFIG_PATH], io), 0)
  t.equal(io.out(), golden('gateway-seed.json'))
  t.equal(io.err(), '')
})

t.test('policy --for gateway with --format scp is a usage error', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--for', 'gateway', '--format', 'scp', '--config', SHIPPED_CONFIG_PATH], io), 2)
  t.equal(io.out(), '')
  t.match(io.err(), '--format scp does not apply')
})

t.test('an unknown --for is a usage error naming the choices', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--for', 'admins', '--config', SHIPPED_CONFIG_PATH], io), 2)
  t.match(io.err(), 'Allowed choices are callers, gateway.')
})
