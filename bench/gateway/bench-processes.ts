import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { compileBenchChildren, compiledChild } from './compile-children.ts'
import { freeLoopbackPort, spawnExternal } from './external-process.ts'
import { spawnMeasured, type MeasuredProcess } from './measured-process.ts'
import { GATEWAY_CLIENT, LOOPBACK_HOST, REGION, UPSTREAM_CREDENTIALS } from './workload.ts'

const SECRET_ENV = 'BENCH_GATEWAY_SECRET'
/**
 * The node flags the gateway ships with (the image's entrypoint, `npm start`, the bin's shebang), so the bench
 * measures the process users run; test/project/node-flags.test.ts keeps them the same.
 */
export const SHIPPED_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16']
/** Where the AWS Labs signing proxy (Go) is, when it is not at its place beside the project. */
export const SIGV4_PROXY_ENV = 'BENCH_AWS_SIGV4_PROXY'
const SIGV4_PROXY_BESIDE_PROJECT = fileURLToPath(new URL('../../../shared/tools/aws-sigv4-proxy/aws-sigv4-proxy-linux-amd64', import.meta.url))
const SIGNING_SERVICE = 'bedrock'

/** The servers of one upstream scheme: the upstream itself and what the bench puts in front of it. */
export interface ServerSet {
  readonly upstream: MeasuredProcess
  readonly barePassThrough: MeasuredProcess
  /** The gateway with one SigV4 client configured: every request is verified. */
  readonly signedGateway: MeasuredProcess
  /** aws-sigv4-proxy, the signing proxy that checks nothing; absent when its binary is not found. */
  readonly sigv4Proxy?: MeasuredProcess
}

export interface BenchProcesses extends ServerSet {
  /** The gateway with no clients (loopback anonymous mode). */
  readonly anonymousGateway: MeasuredProcess
  /** The same servers in front of an upstream that speaks HTTPS, as Bedrock does. */
  readonly tls: ServerSet
  /** Why aws-sigv4-proxy is not measured, when it is not. */
  readonly sigv4ProxyAbsence?: string
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

function isExecutable (file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function sigv4ProxyExecutable (): { executable?: string, absence?: string } {
  const configured = process.env[SIGV4_PROXY_ENV]
  if (configured !== undefined && configured !== '') {
    return isExecutable(configured) ? { executable: configured } : { absence: `${SIGV4_PROXY_ENV}=${configured} is not an executable file` }
  }
  if (isExecutable(SIGV4_PROXY_BESIDE_PROJECT)) return { executable: SIGV4_PROXY_BESIDE_PROJECT }
  return { absence: `no executable at ${SIGV4_PROXY_BESIDE_PROJECT}; set ${SIGV4_PROXY_ENV} to its binary to measure it` }
}

export interface GatewaySpawn {
  readonly name: string
  readonly upstream: MeasuredProcess
  /** Where its config file is written. */
  readonly configDir: string
  /** With the bench's SigV4 client configured (every request verified), or with none (loopback anonymous mode). */
  readonly withClient: boolean
  readonly nodeFlags?: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  /** The compiled gateway-process to run; this checkout's unless another build is being compared. */
  readonly script?: URL
}

/** One gateway process in front of `upstream`, configured as every bench gateway is. */
export async function spawnGateway (options: GatewaySpawn): Promise<MeasuredProcess> {
  const file = join(options.configDir, `${options.name.replace(/[^\w.-]+/g, '_')}.yaml`)
  await writeFile(file, gatewayConfig(options.upstream.url, options.withClient))
  return await spawnMeasured({
    name: options.name,
    script: options.script ?? compiledChild('gateway-process'),
    args: [file],
    env: { ...(options.env ?? process.env), [SECRET_ENV]: GATEWAY_CLIENT.secretAccessKey },
    nodeFlags: [...SHIPPED_NODE_FLAGS, ...(options.nodeFlags ?? [])]
  })
}

/** A self-signed certificate for 127.0.0.1, for the HTTPS upstream; its file is also the CA the clients trust. */
async function loopbackCertificate (dir: string): Promise<{ certFile: string, keyFile: string }> {
  const certFile = join(dir, 'upstream-cert.pem')
  const keyFile = join(dir, 'upstream-key.pem')
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '1', '-subj', `/CN=${LOOPBACK_HOST}`, '-addext', `subjectAltName=IP:${LOOPBACK_HOST}`,
    '-keyout', keyFile, '-out', certFile])
  return { certFile, keyFile }
}

/**
 * Compiles, then starts the upstreams (plain and HTTPS), the bare pass-throughs, the gateways and, when its binary is
 * found, aws-sigv4-proxy, each its own process on 127.0.0.1, the Node ones run from tsc's output like the shipped
 * gateway. With `profileDir`, the SigV4 gateway in front of the plain upstream writes a V8 CPU profile there when it
 * stops.
 */
export async function startBenchProcesses (profileDir: string | undefined): Promise<BenchProcesses> {
  await compileBenchChildren()
  const configDir = await mkdtemp(join(tmpdir(), 'bench-gateway-'))
  const started: MeasuredProcess[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((child) => child.stop()))
    await rm(configDir, { recursive: true, force: true })
  }
  const track = (child: MeasuredProcess): MeasuredProcess => {
    started.push(child)
    return child
  }
  try {
    const { certFile, keyFile } = await loopbackCertificate(configDir)
    // The Node children trust the bench certificate through the extra CA file; the Go proxy through SSL_CERT_FILE.
    const nodeEnv = { ...process.env, NODE_EXTRA_CA_CERTS: certFile }
    const proxy = sigv4ProxyExecutable()

    const startGateway = async (name: string, upstream: MeasuredProcess, withClient: boolean, nodeFlags: string[]): Promise<MeasuredProcess> =>
      track(await spawnGateway({ name, upstream, configDir, withClient, nodeFlags, env: nodeEnv }))
    const startSigv4Proxy = async (name: string, upstream: MeasuredProcess): Promise<MeasuredProcess | undefined> => {
      if (proxy.executable === undefined) return undefined
      const port = await freeLoopbackPort()
      const upstreamUrl = new URL(upstream.url)
      return track(await spawnExternal({
        name,
        executable: proxy.executable,
        args: ['--name', SIGNING_SERVICE, '--region', REGION, '--host', upstreamUrl.host,
          '--upstream-url-scheme', upstreamUrl.protocol.slice(0, -1), '--port', `${LOOPBACK_HOST}:${port}`],
        // Nothing of this process's own environment: only the bench's stand-in credentials, and no AWS config file
        // or instance metadata for its credential chain to reach for.
        env: {
          AWS_ACCESS_KEY_ID: UPSTREAM_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: UPSTREAM_CREDENTIALS.secretAccessKey,
          AWS_SESSION_TOKEN: UPSTREAM_CREDENTIALS.sessionToken,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          SSL_CERT_FILE: certFile
        },
        port
      }))
    }
    const startSet = async (suffix: string, upstreamArgs: string[], profileFlags: string[]): Promise<ServerSet> => {
      const upstream = track(await spawnMeasured({ name: `upstream${suffix}`, script: compiledChild('upstream-process'), args: upstreamArgs }))
      const barePassThrough = track(await spawnMeasured({
        name: `bare pass-through${suffix}`,
        script: compiledChild('bare-pass-through-process'),
        args: [upstream.url],
        env: nodeEnv
      }))
      const signedGateway = await startGateway(`gateway-sigv4${suffix}`, upstream, true, profileFlags)
      const sigv4Proxy = await startSigv4Proxy(`aws-sigv4-proxy${suffix}`, upstream)
      return { upstream, barePassThrough, signedGateway, ...(sigv4Proxy === undefined ? {} : { sigv4Proxy }) }
    }

    const plain = await startSet('', [], profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`])
    const anonymousGateway = await startGateway('gateway-anonymous', plain.upstream, false, [])
    const tls = await startSet(' (https upstream)', [certFile, keyFile], [])
    return {
      ...plain,
      anonymousGateway,
      tls,
      ...(proxy.absence === undefined ? {} : { sigv4ProxyAbsence: proxy.absence }),
      all: started,
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}
