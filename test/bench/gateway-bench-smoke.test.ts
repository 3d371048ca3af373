import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { GatewayBenchReport } from '../../bench/gateway/report.ts'

const BENCH = fileURLToPath(new URL('../../bench/gateway/main.ts', import.meta.url))
const MEASURED_PATHS = ['direct', 'barePassThrough', 'gateway']
const TARGET_COUNT = 8

// A smoke run keeps the bench from rotting: every case runs briefly, every path answers. Its figures are not read:
// performance is judged from full runs, never asserted in tests.
t.test('a smoke run of the gateway bench measures every path without a failed request', async (t) => {
  const resultFile = join(t.testdir(), 'gateway.json')
  const child = spawn(process.execPath, ['--import', 'tsx', BENCH], {
    env: { ...process.env, BENCH_GATEWAY_SMOKE: '1', BENCH_GATEWAY_RESULT_FILE: resultFile },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => { output += text })
  child.stderr.setEncoding('utf8').on('data', (text: string) => { output += text })
  const [exitCode] = await once(child, 'exit') as [number | null]
  if (exitCode !== 0) t.comment(output.slice(-4000))
  t.equal(exitCode, 0, 'the bench exits 0')

  const report = JSON.parse(await readFile(resultFile, 'utf8')) as GatewayBenchReport
  t.equal(report.smoke, true)
  t.equal(report.failedRequests, 0)
  for (const path of MEASURED_PATHS) {
    t.ok(path in report.saturation && path in report.paced && path in report.streams.burst && path in report.largeBody, `${path} measured in every case`)
  }
  t.ok(report.tlsSaturation.gateway.requestsPerSecond > 0, 'the gateway answered in front of the HTTPS upstream')
  t.equal(report.targets.length, TARGET_COUNT)
  if (report.sigv4ProxyAbsence === undefined) {
    t.ok(report.saturation.sigv4Proxy !== undefined && report.tlsSaturation.sigv4Proxy !== undefined, 'aws-sigv4-proxy measured')
  } else {
    t.equal(report.saturation.sigv4Proxy, undefined)
    t.match(output, 'aws-sigv4-proxy not measured', 'the report says the peer is absent')
  }
})
