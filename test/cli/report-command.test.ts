import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import t, { type Test } from 'tap'
import { Command } from 'commander'
import { main } from '../../src/cli/main.ts'
import { registerReportCommand } from '../../src/cli/report-command.ts'
import { capturedIo } from '../support/captured-io.ts'

function auditLine (fields: Record<string, unknown>): string {
  return JSON.stringify({ level: 40, time: '2026-12-07T10:00:00.000Z', msg: 'bedrock request', client: 'litellm', ...fields })
}

const LOG = [
  auditLine({ decision: 'would_deny', reason: 'PROFILE_PREFIX_NOT_ALLOWED', modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0', time: '2026-12-07T09:00:00.000Z' }),
  auditLine({ decision: 'would_deny', reason: 'PROFILE_PREFIX_NOT_ALLOWED', modelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0' }),
  auditLine({ decision: 'would_deny', reason: 'REGION_NOT_ALLOWED', modelId: 'anthropic.claude-3-haiku-20240307-v1:0', client: 'batch-tool', time: '2026-12-07T11:30:00.000Z' }),
  auditLine({ decision: 'allowed', reason: 'ALLOWED', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' }),
  auditLine({ decision: 'denied', reason: 'MALFORMED_REQUEST' }),
  JSON.stringify({ level: 30, msg: 'config reloaded' }),
  'not json at all'
].join('\n')

function logFile (t: Test): string {
  const path = join(t.testdir(), 'gateway.log')
  writeFileSync(path, `${LOG}\n`)
  return path
}

t.test('would_deny requests are counted by client, reason and model, most first, with the time span', async (t) => {
  const io = capturedIo()
  t.equal(await main(['report', logFile(t)], io), 0, io.err())
  t.equal(io.out(), [
    'would_deny: 3 requests from 2026-12-07T09:00:00.000Z to 2026-12-07T11:30:00.000Z',
    'count  client      reason                      model',
    '    2  litellm     PROFILE_PREFIX_NOT_ALLOWED  eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
    '    1  batch-tool  REGION_NOT_ALLOWED          anthropic.claude-3-haiku-20240307-v1:0',
    '(2 lines that are not audit lines skipped)',
    ''
  ].join('\n'))
})

t.test('--decision counts another verdict; a line that names no model shows -', async (t) => {
  const io = capturedIo()
  t.equal(await main(['report', '--decision', 'denied', '--json', logFile(t)], io), 0, io.err())
  t.match(JSON.parse(io.out()), { decision: 'denied', requests: 1, rows: [{ count: 1, client: 'litellm', reason: 'MALFORMED_REQUEST', model: '-' }] })
})

t.test('an unknown decision is a usage error', async (t) => {
  const io = capturedIo()
  t.equal(await main(['report', '--decision', 'maybe', logFile(t)], io), 2)
  t.match(io.err(), /"maybe" is not one of allowed, denied, would_deny, unauthenticated, shed/)
})

t.test('an audit log that cannot be read is a usage error naming why', async (t) => {
  const io = capturedIo()
  t.equal(await main(['report', join(t.testdir(), 'missing.log')], io), 2)
  t.match(io.err(), /cannot read the audit log: ENOENT/)
})

t.test('without files, the audit log is read from standard input', async (t) => {
  const io = capturedIo()
  let exitCode = -1
  const program = new Command().exitOverride()
  registerReportCommand(program, io, (code) => { exitCode = code }, () => Readable.from([LOG]))
  await program.parseAsync(['report'], { from: 'user' })
  t.equal(exitCode, 0)
  t.match(io.out(), /^would_deny: 3 requests/)
})
