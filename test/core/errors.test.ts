import t from 'tap'
import { readFileSync } from 'node:fs'
import { deny } from '../../src/core/decision.ts'
import {
  BEDROCK_ERROR_STATUS,
  BedrockError,
  REFUSALS,
  decisionError,
  internalError,
  toWireError
} from '../../src/core/errors.ts'

const ERRORS_DOC = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')

/** The cells of every table row in the doc whose first cell is a backquoted name. */
function documentedRows (): string[][] {
  return ERRORS_DOC.split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()))
}

t.test('docs/errors.md lists every refusal reason with the error type, status and meaning of the catalogue', async (t) => {
  const documented = documentedRows().filter((cells) => cells.length === 4 && /^`[A-Z_]+`$/.test(cells[0] as string))
  const catalogued = Object.entries(REFUSALS)
    .map(([reason, [type, meaning]]) => [`\`${reason}\``, `\`${type}\``, String(BEDROCK_ERROR_STATUS[type]), meaning])
  t.same(documented, catalogued)
})

t.test('docs/errors.md lists every error type with the status of the catalogue', async (t) => {
  const documented = documentedRows().filter((cells) => cells.length === 3).map(([type, status]) => [type, status])
  const catalogued = Object.entries(BEDROCK_ERROR_STATUS).map(([type, status]) => [`\`${type}\``, String(status)])
  t.same(documented, catalogued)
})

t.test('a refusal is answered with its reason code in the message, as the catalogue types it', async (t) => {
  const error = decisionError(deny('UNKNOWN_OPERATION', 'GET /nowhere'))
  t.match(error, { type: 'UnknownOperationException', status: 404, message: 'UnknownOperationException: UNKNOWN_OPERATION: GET /nowhere' })
})

t.test('a BedrockError keeps what went wrong underneath as its cause', async (t) => {
  const underneath = new Error('socket hang up')
  t.equal(new BedrockError('ServiceUnavailableException', 'no connection', { cause: underneath }).cause, underneath)
})

t.test("the gateway's own failure reaches the caller without its cause", async (t) => {
  const error = internalError(new Error('secret detail'))
  const wire = toWireError(error, 'request-1')
  t.equal(wire.status, 500)
  t.same(JSON.parse(wire.body), { __type: 'InternalServerException', message: 'The gateway failed to process the request.' })
})
