import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { MODEL_OPERATIONS, MODEL_PROFILE_PREFIXES, MODEL_REGIONS } from '../support/fuzz/allowlist-model.ts'
import { describeFailure, runFuzz } from '../support/fuzz/run-fuzz.ts'

/** CI runs a fixed seed, so a failure here is reproducible; `npm run fuzz` explores others. */
const CI_SEED = 20261206
const CI_CASES = 5000
/** About a minute alone on two cores; the suite runs two files at once, so this file gets more than tap's default. */
const FUZZ_FILE_TIMEOUT_MS = 300_000

t.setTimeout(FUZZ_FILE_TIMEOUT_MS)

t.test('the fuzzer\'s allowlist model describes the shipped allowlist', async (t) => {
  const shipped = parse(readFileSync(new URL('../../config/geofence.yaml', import.meta.url), 'utf8')) as { allow: Record<string, unknown> }
  t.strictSame(shipped.allow.regions, MODEL_REGIONS)
  t.strictSame(shipped.allow.inferenceProfilePrefixes, MODEL_PROFILE_PREFIXES)
  t.strictSame(shipped.allow.operations, MODEL_OPERATIONS)
})

t.test(`${CI_CASES} signed, mutated requests over HTTP/1.1 and h2c: nothing reaches Bedrock that the model refuses, nor other than meant`, async (t) => {
  const report = await runFuzz(CI_SEED, CI_CASES)
  t.comment(`${report.cases} cases, ${report.forwarded} forwarded, ${report.unsendable} unsendable, ${(report.elapsedMs / 1000).toFixed(1)} s`)
  t.ok(report.forwarded > CI_CASES / 20, 'enough cases were allowed for the oracle to judge forwarded requests')
  t.equal(report.failures.length, 0, report.failures.slice(0, 20).map((failure) => describeFailure(CI_SEED, failure)).join('\n\n') || 'no failures')
})
