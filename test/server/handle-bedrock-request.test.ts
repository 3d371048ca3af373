import { Readable } from 'node:stream'
import t, { type Test } from 'tap'
import { pino } from 'pino'
import { BEDROCK_SERVICE } from '../../src/bedrock/service.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { createCredentialSource } from '../../src/upstream/credentials.ts'
import { createForwarder } from '../../src/upstream/forwarder.ts'
import { buildGatewayApp } from '../../src/server/gateway-app.ts'
import { buildGatewayState, type GatewayState } from '../../src/server/gateway-state.ts'
import type { GatewayDeps } from '../../src/server/handle-bedrock-request.ts'
import { InFlightRequests } from '../../src/server/in-flight.ts'
import { createMetrics } from '../../src/server/metrics.ts'
import { NO_TRACING, type GatewayTracer } from '../../src/server/tracing.ts'
import { recordInternalError, recordOutcome } from '../../src/server/record-outcome.ts'
import { writeConfig } from '../support/config-file.ts'
import { FAKE_UPSTREAM_CREDENTIALS, sendSigned, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { assertBedrockError, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../support/gateway-harness.ts'
import { signedConverse } from '../support/signed-converse.ts'
import { parseExposition, valueOf } from '../support/prometheus-text.ts'

const FAILURE_MESSAGE = 'a failure nothing anticipated'
const PINO_ERROR_LEVEL = 50
const FAILURE_STACK = /^TypeError: a failure nothing anticipated\n\s+at \S*fail \(.*handle-bedrock-request\.test\.ts:/
/** A caller's W3C trace context, as its SDK sends it. */
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

function fail (): never {
  throw new TypeError(FAILURE_MESSAGE)
}

/** The state in force, with one part of it that throws as soon as a stage reads it. */
function stateFailingAt (state: GatewayState, part: 'clientKeys' | 'catalog'): GatewayState {
  return Object.defineProperty({ ...state }, part, { get: fail })
}

/** For each stage, the collaborator it calls, replaced by one that throws. */
const STAGES: ReadonlyArray<{ readonly stage: string, readonly failing: (deps: GatewayDeps) => Partial<GatewayDeps> }> = [
  { stage: 'authenticate', failing: (deps) => ({ state: () => stateFailingAt(deps.state(), 'clientKeys') }) },
  { stage: 'understand', failing: () => ({ service: { ...BEDROCK_SERVICE, understandRouted: fail } }) },
  { stage: 'routing', failing: () => ({ resolver: fail }) },
  { stage: 'decide', failing: (deps) => ({ state: () => stateFailingAt(deps.state(), 'catalog') }) },
  { stage: 'forward', failing: () => ({ forwarder: () => ({ forward: async () => fail(), openEventStream: fail, close: async () => {} }) }) },
  // Bedrock answered, and reading the answer breaks once the relay has taken the reply over.
  {
    stage: 'relay',
    failing: () => ({
      forwarder: () => ({
        forward: async () => ({ status: 200, get headers () { return fail() }, body: Readable.from([]), sentAt: 0 }),
        openEventStream: fail,
        close: async () => {}
      })
    })
  }
]

interface LogLine {
  readonly level: number
  readonly requestId?: string
  readonly stage?: string
  readonly err?: { readonly message: string; readonly stack: string }
}

/** The gateway on loopback with `failing` replacing some of its collaborators, logging into `logLines`. */
async function startFailingGateway (t: Test, failing: (deps: GatewayDeps) => Partial<GatewayDeps>) {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const config = await loadConfig(writeConfig(t, testConfigYaml(fake.url, inProcessLimitsYaml())), TEST_ENV)
  const logLines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { logLines.push(line) } })
  const state = buildGatewayState(config)
  const credentials = createCredentialSource(config.aws, async () => FAKE_UPSTREAM_CREDENTIALS)
  await credentials.start()
  t.teardown(() => credentials.stop())
  const forwarder = createForwarder(config.upstream, credentials)
  t.teardown(() => forwarder.close())
  const inFlight = new InFlightRequests()
  const metrics = createMetrics({ configuredClients: () => state.clientNames, credentials: () => credentials.status(), inFlight: () => inFlight })
  const working: GatewayDeps = {
    service: BEDROCK_SERVICE,
    state: () => state,
    forwarder: () => forwarder,
    resolver: () => ({ resolve: fail, size: () => 0 }),
    now: () => new Date(),
    inFlight,
    draining: () => false,
    onOutcome: (outcome) => recordOutcome(outcome, metrics, logger),
    onInternalError: (failure) => recordInternalError(failure, metrics, logger)
  }
  const app = buildGatewayApp({ ...working, ...failing(working) })
  t.teardown(() => app.close())
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const errorLines = (): LogLine[] => logLines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.level === PINO_ERROR_LEVEL)
  const internalErrors = async (stage: string): Promise<number | undefined> =>
    valueOf(parseExposition(await metrics.registry.metrics()), 'bedrock_geofence_internal_errors_total', { stage })
  return { fake, url, errorLines, internalErrors }
}

for (const { stage, failing } of STAGES) {
  t.test(`an error thrown in the ${stage} stage is logged once with its stack and request id, and counted`, async (t) => {
    const { fake, url, errorLines, internalErrors } = await startFailingGateway(t, failing)

    const response = await sendSigned(url, signedConverse())
    assertBedrockError(t, response, 500, 'InternalServerException')
    t.notMatch(response.body.toString('utf8'), FAILURE_MESSAGE, 'the failure itself stays in the log')
    t.equal(errorLines().length, 1)
    t.match(errorLines()[0], { requestId: response.headers['x-amzn-requestid'], stage, err: { message: FAILURE_MESSAGE } })
    t.match(errorLines()[0]?.err?.stack, FAILURE_STACK)
    t.equal(fake.requests.length, 0)
    t.equal(await internalErrors(stage), 1)
  })
}

/** A tracer that throws the first time it is asked to trace a request that carries a trace context. */
function tracerFailingOnce (): GatewayTracer {
  let failed = false
  return {
    startRequest (headers) {
      if (headers.traceparent === undefined || failed) return NO_TRACING.startRequest(headers)
      failed = true
      return fail()
    },
    shutdown: async () => {}
  }
}

// The tracer is the one collaborator called before the handler's first stage: what it throws leaves the handler
// unanswered, and only the app's error handler, the path of every failure around the handler, is left to answer it.
t.test('an error thrown around the handler is logged once with its stack and request id under framework, counted, and the gateway serves on', async (t) => {
  const tracer = tracerFailingOnce()
  const { fake, url, errorLines, internalErrors } = await startFailingGateway(t, () => ({ tracer }))
  const traced = signedConverse()

  const response = await sendSigned(url, { ...traced, headers: { ...traced.headers, traceparent: TRACEPARENT } })
  assertBedrockError(t, response, 500, 'InternalServerException')
  t.notMatch(response.body.toString('utf8'), FAILURE_MESSAGE, 'the failure itself stays in the log')
  t.equal(errorLines().length, 1)
  t.match(errorLines()[0], { requestId: response.headers['x-amzn-requestid'], stage: 'framework', err: { message: FAILURE_MESSAGE } })
  t.match(errorLines()[0]?.err?.stack, FAILURE_STACK)
  t.equal(fake.requests.length, 0)
  t.equal(await internalErrors('framework'), 1)

  const next = await sendSigned(url, signedConverse())
  t.equal(next.status, 200, 'the next request is served')
  t.equal(fake.requests.length, 1)
  t.equal(errorLines().length, 1)
})

t.test('a tracer failing while a refusal is answered outside the handler changes nothing the caller gets, and is logged', async (t) => {
  const tracer: GatewayTracer = { startRequest: fail, shutdown: async () => {} }
  const { fake, url, errorLines, internalErrors } = await startFailingGateway(t, () => ({ tracer }))
  const unknownKey = { ...signedConverse(), credentials: { ...SIGV4_CLIENT, accessKeyId: 'GEOFENCEUNKNOWN00001' } }

  const response = await sendSigned(url, unknownKey)
  assertBedrockError(t, response, 403, 'UnrecognizedClientException')
  t.equal(errorLines().length, 1)
  t.match(errorLines()[0], { requestId: response.headers['x-amzn-requestid'], stage: 'authenticate', err: { message: FAILURE_MESSAGE } })
  t.equal(await internalErrors('authenticate'), 1)
  t.equal(fake.requests.length, 0)
})
