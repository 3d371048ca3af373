import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { SHIPPED_CONFIG_PATH } from '../support/shipped-config.ts'

t.test('--help lists every command and exits 0', async (t) => {
  const io = capturedIo()
  t.equal(await main(['--help'], io), 0)
  for (const command of ['serve', 'policy', 'check', 'explain', 'audit-profiles', 'keygen']) t.match(io.out(), new RegExp(`^  ${command} `, 'm'))
})

t.test('every command that reads the config takes --config and --help', async (t) => {
  for (const command of ['serve', 'policy', 'check', 'explain', 'audit-profiles']) {
    const io = capturedIo()
    t.equal(await main([command, '--help'], io), 0, `${command} --help`)
    t.match(io.out(), `Usage: bedrock-geofence ${command}`)
    t.match(io.out(), '--config <file>')
  }
})

t.test('no command is a usage error', async (t) => {
  const io = capturedIo()
  t.equal(await main([], io), 2)
  t.match(io.err(), 'Usage: bedrock-geofence')
})

t.test('an unknown command is a usage error', async (t) => {
  const io = capturedIo()
  t.equal(await main(['polcy'], io), 2)
  t.match(io.err(), "unknown command 'polcy'")
})

t.test('an unknown option is a usage error', async (t) => {
  const io = capturedIo()
  t.equal(await main(['check', '--verbose'], io), 2)
  t.match(io.err(), "unknown option '--verbose'")
})

t.test('a config error prints every problem on stderr, one a line, and exits 2', async (t) => {
  const path = writeConfig(t, `
allow:
  regions: [us-east-1, eu-west-22]
  inferenceProfilePrefixes: [us]
listen: { prot: 8080 }
`)
  const io = capturedIo()
  t.equal(await main(['check', '--config', path], io), 2)
  t.equal(io.out(), '')
  t.equal(io.err(), [
    `${path}: allow.regions[1]: "eu-west-22" is not an AWS region (did you mean eu-west-2?)`,
    `${path}: listen.prot: unknown key (did you mean port?)`,
    ''
  ].join('\n'))
})

t.test('a missing config file is a config error', async (t) => {
  const io = capturedIo()
  t.equal(await main(['policy', '--config', '/nonexistent/geofence.yaml'], io), 2)
  t.equal(io.err(), '/nonexistent/geofence.yaml: cannot be read (ENOENT)\n')
})

t.test('$GEOFENCE_CONFIG chooses the file when --config is absent', async (t) => {
  const io = capturedIo({ GEOFENCE_CONFIG: SHIPPED_CONFIG_PATH })
  t.equal(await main(['check'], io), 0)
  t.equal(io.out(), `${SHIPPED_CONFIG_PATH}: valid, no findings\n`)
})
