/**
 * `npm run fuzz -- --cases 100000 --seed 7 [--first 0]`: the HTTP-level fuzzer beyond what CI runs. Prints each
 * failure with the command that replays it and the raw request, then exits 1 if there was any.
 */
import { parseArgs } from 'node:util'
import { describeFailure, runFuzz } from './run-fuzz.ts'

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '5000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    first: { type: 'string', default: '0' }
  }
})
const seed = Number(values.seed)
const report = await runFuzz(seed, Number(values.cases), Number(values.first))
for (const failure of report.failures) console.log(describeFailure(seed, failure))
console.log(`seed ${seed}: ${report.cases} cases (${report.unsendable} unsendable by the test's own clients), ` +
  `${report.forwarded} forwarded, ${report.failures.length} failures, ${(report.elapsedMs / 1000).toFixed(1)} s`)
process.exitCode = report.failures.length === 0 ? 0 : 1
