import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileBenchChildren, compiledChild } from './compile-children.ts'
import { spawnMeasured, type MeasuredProcess } from './measured-process.ts'
import { GATEWAY_CLIENT, LOOPBACK_HOST } from './workload.ts'

const SECRET_ENV = 'BENCH_GATEWAY_SECRET'

export interface BenchProcesses {
  readonly upstream: MeasuredProcess
  readonly barePassThrough: MeasuredProcess
  /** The gateway with one SigV4 client configured: every request is verified. */
  readonly signedGateway: MeasuredProcess
  /** The gateway with no clients (loopback anonymous mode). */
  readonly anonymousGateway: MeasuredProcess
  readonly all: readonly MeasuredProcess[]
  stop (): Promise<void>
}

/**
 * The seed allowlist's North American regions, so that the `us` profiles route only to allowed regions (no findings
 * to acknowledge). Load shedding on event-loop delay is off: at saturation the loop is busy by design, and on a shared
 * machine a stall would turn part of a run into cheap 503s, which are not what is measured.
 */
function gatewayConfig (upstreamUrl: string, withClient: boolean): string {
  const clients = withClient
    ? `\n  - name: ${GATEWAY_CLIENT.name}\n    accessKeyId: ${GATEWAY_CLIENT.accessKeyId}\n    secretAccessKey: \${env:${SECRET_ENV}}`
    : ' []'
  return `allow:
  regions: [us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1]
  inferenceProfilePrefixes: [us]
  operations: [Converse, ConverseStream, InvokeModel]
listen: { host: ${LOOPBACK_HOST}, port: 0 }
admin: { host: ${LOOPBACK_HOST}, port: 0 }
limits: { maxEventLoopDelayMs: 0 }
upstream:
  endpoint: "${upstreamUrl}"
clients:${clients}
`
}

/**
 * Compiles, then starts the upstream, the bare pass-through and both gateways, each its own process on 127.0.0.1, run
 * from tsc's output like the shipped gateway. With `profileDir`,
 * the SigV4 gateway writes a V8 CPU profile there when it stops.
 */
export async function startBenchProcesses (profileDir: string | undefined): Promise<BenchProcesses> {
  await compileBenchChildren()
  const configDir = await mkdtemp(join(tmpdir(), 'bench-gateway-'))
  const started: MeasuredProcess[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((child) => child.stop()))
    await rm(configDir, { recursive: true, force: true })
  }
  try {
    const upstream = await spawnMeasured({ name: 'upstream', script: compiledChild('upstream-process') })
    started.push(upstream)
    const startGateway = async (name: string, withClient: boolean, nodeFlags: string[]): Promise<MeasuredProcess> => {
      const file = join(configDir, `${name}.yaml`)
      await writeFile(file, gatewayConfig(upstream.url, withClient))
      const gateway = await spawnMeasured({
        name,
        script: compiledChild('gateway-process'),
        args: [file],
        env: { ...process.env, [SECRET_ENV]: GATEWAY_CLIENT.secretAccessKey },
        nodeFlags
      })
      started.push(gateway)
      return gateway
    }
    const barePassThrough = await spawnMeasured({
      name: 'bare pass-through',
      script: compiledChild('bare-pass-through-process'),
      args: [upstream.url]
    })
    started.push(barePassThrough)
    const signedGateway = await startGateway('gateway-sigv4', true, profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`])
    const anonymousGateway = await startGateway('gateway-anonymous', false, [])
    return { upstream, barePassThrough, signedGateway, anonymousGateway, all: started, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
