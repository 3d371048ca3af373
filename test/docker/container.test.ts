/**
 * The container image, run with podman the way a platform team runs it: read-only root filesystem, a tmpfs on /tmp,
 * ports published on 127.0.0.1 only, a mounted config, AWS credentials from the environment. The upstream is the
 * fake Bedrock on the host's loopback, which the container reaches through slirp4netns' host-loopback address.
 *
 * The image is built by scripts/container/verify.sh, which then runs this file with GEOFENCE_CONTAINER_IMAGE set.
 * It is left out of the plain tap run (package.json `tap.exclude`): `npm test` builds no image. Run alone without an
 * image, it fails rather than pass having checked nothing.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { freeLoopbackPort } from '../support/free-loopback-port.ts'
import { SHIPPED_NODE_FLAGS } from '../../bench/gateway/bench-processes.ts'

const IMAGE = process.env.GEOFENCE_CONTAINER_IMAGE
const OCI_RUNTIME = process.env.GEOFENCE_CONTAINER_RUNTIME ?? 'runc'
// Without both limits podman's runc fails to start containers on this kind of machine.
const RESOURCE_LIMITS = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=1024:1024']
// No timer for the HEALTHCHECK (podman would ask systemd, which is absent here); `podman healthcheck run` runs it.
const NO_HEALTHCHECK_TIMER = ['--health-interval', 'disable']
// The container gets its own network namespace, so it listens on 0.0.0.0 exactly as in production, while the host
// side stays on loopback: ports are published on 127.0.0.1, and the fake Bedrock (bound to 127.0.0.1) is reached
// through slirp4netns' alias for the host's loopback.
const NETWORK = 'slirp4netns:allow_host_loopback=true'
const HOST_LOOPBACK_SEEN_FROM_CONTAINER = '10.0.2.2'
// The gateway accepts a plain-http upstream only on a loopback host, so a relay inside the container's network
// namespace listens on its 127.0.0.1 and passes each connection on to the fake.
const UPSTREAM_RELAY_PORT = 18443
const CONTAINER_BEDROCK_PORT = 8080
const CONTAINER_ADMIN_PORT = 9090
const TEST_CONFIG_DIR = '/etc/bedrock-geofence-test'
const TEST_CONFIG_TEMPLATE = new URL('./fixtures/geofence.verify.yaml', import.meta.url)
const UPSTREAM_ENDPOINT_PLACEHOLDER = '__UPSTREAM_ENDPOINT__'
const NODE_UID = '1000'
const STARTUP_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_SECONDS = 10

// AWS's documented example key pair: what the gateway signs upstream with, and what the fake verifies.
const UPSTREAM_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
// The key pair the test config issues to its one client (fixtures/geofence.verify.yaml).
const CLIENT_CREDENTIALS = { accessKeyId: 'GEOFENCEVERIFY01', secretAccessKey: 'container-verification-secret-for-tests-0123' }
const ALLOWED_REGION = 'us-east-1'
const DENIED_REGION = 'eu-central-1'
const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0'

interface CommandResult { code: number, stdout: string, stderr: string }

function podman (...args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile('podman', ['--runtime', OCI_RUNTIME, ...args], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() })
    })
  })
}

async function isRunning (container: string): Promise<boolean> {
  const { stdout } = await podman('inspect', '--format', '{{.State.Running}}', container)
  return stdout === 'true'
}

/** Polls until `probe` is true; gives up early, with the container's log, if the container has stopped. */
async function waitUntil (container: string, what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (await probe()) return
    if (!await isRunning(container)) {
      const { stdout, stderr } = await podman('logs', container)
      throw new Error(`container ${container} stopped before ${what}:\n${stdout}\n${stderr}`)
    }
    await sleep(250)
  }
  throw new Error(`${what}: not within ${STARTUP_TIMEOUT_MS} ms`)
}

async function answers (url: string): Promise<boolean> {
  try {
    await fetch(url)
    return true
  } catch {
    return false
  }
}

/** Runs node inside the running container, as the image's user. */
function nodeInContainer (container: string, script: string): Promise<CommandResult> {
  return podman('exec', container, 'node', '-e', script)
}

function relayScript (listenPort: number, targetHost: string, targetPort: number): string {
  return `require('net').createServer((inbound) => {
    const outbound = require('net').connect(${targetPort}, '${targetHost}')
    inbound.pipe(outbound).pipe(inbound)
    inbound.on('error', () => outbound.destroy())
    outbound.on('error', () => inbound.destroy())
  }).listen(${listenPort}, '127.0.0.1')`
}

const connectsScript = (port: number) =>
  `require('net').connect(${port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))`

function bedrockClient (endpoint: string, region: string): BedrockRuntimeClient {
  // HTTP/1.1, as LiteLLM and botocore speak it; one attempt, so a refusal is not retried.
  return new BedrockRuntimeClient({ region, endpoint, credentials: CLIENT_CREDENTIALS, requestHandler: new NodeHttpHandler(), maxAttempts: 1 })
}

const converse = (client: BedrockRuntimeClient) => client.send(new ConverseCommand({
  modelId: MODEL_ID,
  messages: [{ role: 'user', content: [{ text: 'Hello from the container test' }] }]
}))

if (IMAGE === undefined) {
  t.fail('GEOFENCE_CONTAINER_IMAGE is not set: scripts/container/verify.sh builds the image and runs this file')
} else {
  const image = IMAGE
  // Loaded only here, once an image is there to test.
  const { startFakeBedrock } = await import('../support/fake-bedrock/index.ts')

  t.test('the image is configured to run as uid 1000 with its config under /etc/bedrock-geofence', async (t) => {
    const { stdout } = await podman('image', 'inspect', '--format', '{{json .Config}}', image)
    const config = JSON.parse(stdout) as { User: string, Env: string[], ExposedPorts: Record<string, unknown>, Entrypoint: string[], Cmd: string[] }
    // podman keeps the HEALTHCHECK beside the config, and only in docker format (OCI drops it silently).
    const { stdout: healthcheck } = await podman('image', 'inspect', '--format', '{{json .HealthCheck}}', image)
    t.equal(config.User, `${NODE_UID}:${NODE_UID}`)
    t.ok(config.Env.includes('GEOFENCE_CONFIG=/etc/bedrock-geofence/geofence.yaml'))
    t.ok(config.Env.includes('NODE_ENV=production'))
    t.same(Object.keys(config.ExposedPorts).sort(), [`${CONTAINER_BEDROCK_PORT}/tcp`, `${CONTAINER_ADMIN_PORT}/tcp`])
    t.same([...config.Entrypoint, ...config.Cmd], ['node', ...SHIPPED_NODE_FLAGS, 'bin/bedrock-geofence.js', 'serve'])
    t.match((JSON.parse(healthcheck) as { Test?: string[] } | null)?.Test, ['CMD', 'node'], 'HEALTHCHECK kept')
  })

  t.test('the image holds the compiled gateway and production dependencies only', async (t) => {
    const probe = [
      'dist/cli/main.js', 'bin/bedrock-geofence.js', 'node_modules/fastify/package.json',
      'node_modules/typescript', 'node_modules/tap', 'node_modules/@aws-sdk/client-bedrock-runtime', 'src', 'test', '.env'
    ]
    const { code, stdout, stderr } = await podman('run', '--rm', '--network', 'none', ...RESOURCE_LIMITS,
      '--entrypoint', 'node', image, '-e',
      `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(probe)}.map((p) => [p, require('fs').existsSync(p)]))))`)
    t.equal(code, 0, 'the probe ran', { stderr })
    t.same(JSON.parse(stdout), {
      'dist/cli/main.js': true,
      'bin/bedrock-geofence.js': true,
      'node_modules/fastify/package.json': true,
      'node_modules/typescript': false,
      'node_modules/tap': false,
      'node_modules/@aws-sdk/client-bedrock-runtime': false,
      src: false,
      test: false,
      '.env': false
    })
  })

  t.test('with its baked-in config and nothing but secrets in the environment, the gateway passes its own HEALTHCHECK', async (t) => {
    const container = `geofence-baked-${process.pid}`
    // No network at all: the baked config points at real AWS, which this test must never reach.
    const run = await podman('run', '-d', '--name', container, '--network', 'none', ...RESOURCE_LIMITS, ...NO_HEALTHCHECK_TIMER,
      '--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp',
      '-e', 'GEOFENCE_LITELLM_SECRET=baked-config-test-secret-for-tests-0123',
      '-e', `AWS_ACCESS_KEY_ID=${UPSTREAM_CREDENTIALS.accessKeyId}`, '-e', `AWS_SECRET_ACCESS_KEY=${UPSTREAM_CREDENTIALS.secretAccessKey}`,
      '-e', 'AWS_EC2_METADATA_DISABLED=true',
      image)
    t.teardown(() => podman('rm', '-f', '-t', '0', container))
    t.equal(run.code, 0, 'podman run started the container', { stderr: run.stderr })
    await waitUntil(container, 'its HEALTHCHECK passes', async () => (await podman('healthcheck', 'run', container)).code === 0)
    t.pass('HEALTHCHECK passed')
  })

  t.test('running against the fake Bedrock', async (t) => {
    const fake = await startFakeBedrock({ credentials: UPSTREAM_CREDENTIALS })
    t.teardown(() => fake.close())

    const configDir = await mkdtemp(join(tmpdir(), 'geofence-container-test-'))
    t.teardown(() => rm(configDir, { recursive: true, force: true }))
    const template = await readFile(TEST_CONFIG_TEMPLATE, 'utf8')
    await writeFile(join(configDir, 'geofence.yaml'),
      template.replaceAll(UPSTREAM_ENDPOINT_PLACEHOLDER, `http://127.0.0.1:${UPSTREAM_RELAY_PORT}`))
    // The gateway runs as uid 1000 and must be able to read the mounted config.
    await chmod(configDir, 0o755)
    await chmod(join(configDir, 'geofence.yaml'), 0o644)

    const bedrockPort = await freeLoopbackPort()
    const adminPort = await freeLoopbackPort()
    const bedrockEndpoint = `http://127.0.0.1:${bedrockPort}`
    const adminUrl = `http://127.0.0.1:${adminPort}`
    const container = `geofence-verify-${process.pid}`
    const run = await podman('run', '-d', '--name', container, '--network', NETWORK, ...RESOURCE_LIMITS, ...NO_HEALTHCHECK_TIMER,
      '--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp',
      '-p', `127.0.0.1:${bedrockPort}:${CONTAINER_BEDROCK_PORT}`, '-p', `127.0.0.1:${adminPort}:${CONTAINER_ADMIN_PORT}`,
      '-v', `${configDir}:${TEST_CONFIG_DIR}:ro`, '-e', `GEOFENCE_CONFIG=${TEST_CONFIG_DIR}/geofence.yaml`,
      '-e', `GEOFENCE_VERIFY_SECRET=${CLIENT_CREDENTIALS.secretAccessKey}`,
      '-e', `AWS_ACCESS_KEY_ID=${UPSTREAM_CREDENTIALS.accessKeyId}`, '-e', `AWS_SECRET_ACCESS_KEY=${UPSTREAM_CREDENTIALS.secretAccessKey}`,
      '-e', 'AWS_EC2_METADATA_DISABLED=true',
      image)
    t.teardown(async () => {
      const logs = await podman('logs', container)
      t.comment(`container log (last lines):\n${`${logs.stdout}\n${logs.stderr}`.trim().split('\n').slice(-15).join('\n')}`)
      await podman('rm', '-f', '-t', '0', container)
    })
    t.equal(run.code, 0, 'podman run started the container', { stderr: run.stderr })
    await waitUntil(container, 'the admin port answers', () => answers(`${adminUrl}/healthz`))
    const relay = await podman('exec', '-d', container, 'node', '-e', relayScript(UPSTREAM_RELAY_PORT, HOST_LOOPBACK_SEEN_FROM_CONTAINER, fake.port))
    t.equal(relay.code, 0, 'upstream relay started', { stderr: relay.stderr })
    await waitUntil(container, 'the upstream relay listens', async () => (await nodeInContainer(container, connectsScript(UPSTREAM_RELAY_PORT))).code === 0)

    t.test('/healthz answers 200', async (t) => {
      t.equal((await fetch(`${adminUrl}/healthz`)).status, 200)
    })

    t.test('/readyz answers 200 once the config is loaded and the AWS credentials resolve', async (t) => {
      await waitUntil(container, '/readyz is 200', async () => (await fetch(`${adminUrl}/readyz`)).status === 200)
      t.pass('/readyz is 200')
    })

    t.test('an allowed Converse call goes through the container to Bedrock and back', async (t) => {
      const before = fake.requests.length
      const answer = await converse(bedrockClient(bedrockEndpoint, ALLOWED_REGION))
      t.equal(answer.$metadata.httpStatusCode, 200)
      t.equal(answer.output?.message?.content?.[0]?.text, fake.lastResponseText, "the caller got Bedrock's answer")
      const received = fake.requests.slice(before)
      t.equal(received.length, 1, 'Bedrock received exactly one request')
      t.match(received[0], {
        operation: 'Converse',
        region: ALLOWED_REGION,
        signature: { ok: true, accessKeyId: UPSTREAM_CREDENTIALS.accessKeyId }
      }, "re-signed with the gateway's own AWS credentials from the container's environment")
    })

    t.test('a call to a region outside the allowlist is refused with 403 AccessDeniedException and never reaches Bedrock', async (t) => {
      const before = fake.requests.length
      const refusal = await converse(bedrockClient(bedrockEndpoint, DENIED_REGION)).then(() => undefined, (error: unknown) => error)
      t.match(refusal, { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } })
      t.equal(fake.requests.length, before, 'Bedrock received nothing')
    })

    t.test('the gateway process runs as uid 1000, not root', async (t) => {
      const { stdout: pid } = await podman('inspect', '--format', '{{.State.Pid}}', container)
      const status = await readFile(`/proc/${pid}/status`, 'utf8')
      const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/)
      t.same(uids, [NODE_UID, NODE_UID, NODE_UID, NODE_UID], 'real, effective, saved and filesystem uid')
    })

    t.test('the root filesystem is read-only and /tmp is writable', async (t) => {
      const intoApp = await nodeInContainer(container, "require('fs').writeFileSync('/app/probe', 'x')")
      t.not(intoApp.code, 0, 'write to /app refused')
      t.match(intoApp.stderr, /EROFS/, 'as a read-only filesystem')
      const intoTmp = await nodeInContainer(container, "require('fs').writeFileSync('/tmp/probe', 'x')")
      t.equal(intoTmp.code, 0, 'write to /tmp', { stderr: intoTmp.stderr })
    })

    t.test("the image's HEALTHCHECK passes", async (t) => {
      const check = await podman('healthcheck', 'run', container)
      t.equal(check.code, 0, 'podman healthcheck run', { stdout: check.stdout, stderr: check.stderr })
    })

    t.test('SIGTERM stops the gateway cleanly: exit code 0 before the stop timeout', async (t) => {
      const started = Date.now()
      const stop = await podman('stop', '-t', String(STOP_TIMEOUT_SECONDS), container)
      t.equal(stop.code, 0, 'podman stop', { stderr: stop.stderr })
      const { stdout: exitCode } = await podman('inspect', '--format', '{{.State.ExitCode}}', container)
      t.equal(exitCode, '0', 'a process killed after the timeout would exit 137')
      t.comment(`stopped in ${Date.now() - started} ms`)
    })
  })
}
