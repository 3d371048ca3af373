import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'

t.test('serve refuses to start on findings the config does not acknowledge, exit 1', async (t) => {
  const path = writeConfig(t, `
allow: { regions: [us-east-1, us-east-2, us-west-1, us-west-2, eu-west-2], inferenceProfilePrefixes: [us, global] }
`)
  const io = capturedIo()
  t.equal(await main(['serve', '--config', path], io), 1)
  t.match(io.err(), `${path}: not acknowledged: global-allowed: `)
  t.match(io.err(), 'serve: refusing to start')
  t.equal(io.out(), '')
})

t.test('serve does not start on an invalid config, exit 2', async (t) => {
  const path = writeConfig(t, 'allow: { regions: [us-east-1] }\n')
  const io = capturedIo()
  t.equal(await main(['serve', '--config', path], io), 2)
  t.match(io.err(), 'allow.inferenceProfilePrefixes: is missing')
})

t.test('serve does not start on a config that listens beyond loopback without clients, and says what to add', async (t) => {
  const path = writeConfig(t, `
allow: { regions: [us-east-1], inferenceProfilePrefixes: [] }
listen: { host: 0.0.0.0, port: 0 }
`)
  const io = capturedIo()
  t.equal(await main(['serve', '--config', path], io), 2)
  t.match(io.err(), 'listen.host: "0.0.0.0" is not a loopback address, which needs at least one entry in clients')
  t.notMatch(io.out(), 'listening')
})
