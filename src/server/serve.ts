import type { AddressInfo } from 'node:net'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { GeofenceConfig, UpstreamConfig } from '../config/index.ts'
import { identityPolicy } from '../policy/index.ts'
import { loadServableConfig } from './servable-config.ts'
import { createCredentialSource, createForwarder, type CredentialSource, type Forwarder, NO_CREDENTIALS_ADVICE } from '../upstream/index.ts'
import { buildAdminApp } from './admin-app.ts'
import { createLogger } from './audit-log.ts'
import { RELOAD_SIGNAL, watchConfig } from './config-reloader.ts'
import { BEDROCK_SERVICE } from '../bedrock/index.ts'
import { buildGatewayApp } from './gateway-app.ts'
import { buildGatewayState, type GatewayState } from './gateway-state.ts'
import { InFlightRequests } from './in-flight.ts'
import { createMetrics, type GeofenceMetrics } from './metrics.ts'
import { openMonitorWindows } from '../config/index.ts'
import { createReadiness } from './readiness.ts'
import { createTracer } from './tracing.ts'
import { recordInternalError, recordOutcome } from './record-outcome.ts'
import { createRoutingService } from './routing-service.ts'
import { checkControlPlaneAtStartup } from './control-plane-probe.ts'
import { RestartRequiredError, restartOnlyChanges } from './restart-only-settings.ts'
import { MS_PER_SECOND } from '../core/index.ts'

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const
/**
 * After the grace period, requests still running are told to end; this long later whatever connection is still open
 * (a caller still uploading, or one that ignores the exception event) is cut so that the process can exit.
 */
const FORCED_CLOSE_AFTER_MS = 2000

export interface StartOptions {
  /** Where credentials come from; the default Node chain (or the configured role) unless a test supplies one. */
  readonly credentialProvider?: AwsCredentialIdentityProvider
  readonly logger?: Logger
  /** Where the OTEL_* tracing variables are read (the process environment unless a test supplies its own). */
  readonly env?: NodeJS.ProcessEnv
}

/** A started gateway: both listeners up, the config swappable, and a drain that ends in a clean stop. */
export interface RunningGateway {
  readonly url: string
  readonly adminUrl: string
  readonly metrics: GeofenceMetrics
  readonly logger: Logger
  state (): GatewayState
  /**
   * Swaps in a new config for new requests; requests under way finish under the one they started with. Throws a
   * RestartRequiredError, and changes nothing, when the config changes a setting fixed at start.
   */
  apply (config: GeofenceConfig): void
  /**
   * Readiness turns false and new connections are refused at once; requests under way get `shutdown.graceSeconds`,
   * then the ones still running are ended (streams with a serviceUnavailableException event, requests still waiting
   * for Bedrock with a 503). Resolves when everything is closed.
   */
  shutdown (): Promise<void>
  /** Ends the grace period of a shutdown now (an operator's second Ctrl-C). */
  endGracePeriod (): void
  /**
   * When the config may need the control plane, asks it once and logs one error line, with the cause and the fix,
   * if it cannot be used; nothing when the credentials are missing, whose own line says so. Never rejects, and a
   * shutdown waits for it. `serve` runs it in the background after listening, so startup never waits for it.
   */
  checkControlPlane (): Promise<void>
}

function urlOf (app: FastifyInstance, scheme: 'http' | 'https' = 'http'): string {
  const address = app.server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `${scheme}://${host}:${address.port}`
}

function sameUpstream (a: UpstreamConfig, b: UpstreamConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function whenAborted (signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}

function delay (ms: number): { readonly done: Promise<void>; cancel (): void } {
  let timer: NodeJS.Timeout | undefined
  const done = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms) })
  return { done, cancel: () => clearTimeout(timer) }
}

/**
 * Starts the admin listener first, so that `/healthz` answers and `/readyz` says what is missing while credentials
 * are fetched (an STS or instance-metadata round trip can take seconds), then the Bedrock listener.
 */
export async function startGateway (config: GeofenceConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.log)
  const credentials: CredentialSource = createCredentialSource(config.aws, options.credentialProvider)
  let state = buildGatewayState(config)
  let forwarder: Forwarder = createForwarder(config.upstream, credentials)
  let serving = false
  let draining = false
  const graceEnded = new AbortController()
  const inFlight = new InFlightRequests()
  const metrics = createMetrics({
    configuredClients: () => state.clientNames,
    credentials: () => credentials.status(),
    inFlight: () => inFlight,
    monitorWindows: () => openMonitorWindows(state.config, Date.now()),
    simulatedUpstream: () => state.config.upstream.simulator
  })
  const tracer = await createTracer(options.env ?? process.env, logger, () => metrics.recordTraceExportFailure())
  const routing = createRoutingService(config, credentials, metrics.registry)
  const readiness = createReadiness({
    configLoaded: () => serving,
    credentials: () => credentials.status(),
    draining: () => draining,
    monitorWindows: () => openMonitorWindows(state.config, Date.now()),
    simulatedUpstream: () => state.config.upstream.simulator
  })

  const gatewayScheme = config.listen.tls === undefined ? 'http' : 'https'
  const gateway = buildGatewayApp({
    service: BEDROCK_SERVICE,
    state: () => state,
    forwarder: () => forwarder,
    resolver: () => routing.resolver(),
    now: () => new Date(),
    inFlight,
    draining: () => draining,
    onOutcome: (outcome) => recordOutcome(outcome, metrics, logger),
    onInternalError: (failure) => recordInternalError(failure, metrics, logger),
    tracer
  })
  const admin = buildAdminApp({
    metrics,
    readiness,
    effectiveConfig: () => state.config,
    policy: () => identityPolicy(state.config)
  })
  await admin.listen({ host: config.admin.host, port: config.admin.port })
  try {
    await credentials.start()
    await gateway.listen({ host: config.listen.host, port: config.listen.port })
  } catch (error) {
    credentials.stop()
    await Promise.all([admin.close(), forwarder.close(), routing.close(), tracer.shutdown()])
    throw error
  }
  serving = true
  const credentialStatus = credentials.status()
  if (!credentialStatus.ok) {
    logger.error({ cause: credentialStatus.error }, `${NO_CREDENTIALS_ADVICE}. Until it has them, every allowed call ` +
      'is answered 503 ServiceUnavailableException and /readyz reports not ready; it keeps retrying in the background')
  }
  const { enforcement, simulator } = readiness()
  if (simulator !== undefined) logger.warn(simulator)
  if (enforcement.detail !== undefined) logger.warn({ monitoring: enforcement.monitoring }, enforcement.detail)
  if (config.clients.length === 0) {
    logger.warn({ listen: urlOf(gateway, gatewayScheme) }, 'no clients configured: any caller that reaches this loopback port is served under the global allowlist')
  }
  logger.info({ listen: urlOf(gateway, gatewayScheme), admin: urlOf(admin) }, 'bedrock-geofence listening')
  let controlPlaneChecked = Promise.resolve()

  /** Waits for the requests under way, for the grace period at most; then tells the rest to end and waits for them. */
  async function drainRequests (): Promise<void> {
    const { graceSeconds } = state.config.shutdown
    logger.info({ requestsInFlight: inFlight.size, streamsInFlight: inFlight.streams, graceSeconds }, 'draining: readiness is false and new connections are refused')
    const grace = delay(graceSeconds * MS_PER_SECOND)
    const finished = await Promise.race([
      inFlight.idle().then(() => true),
      Promise.race([grace.done, whenAborted(graceEnded.signal)]).then(() => false)
    ])
    grace.cancel()
    if (finished) return
    logger.warn({ requestsInFlight: inFlight.size, streamsInFlight: inFlight.streams }, 'grace period over: ending the requests still running')
    inFlight.shutdownAll()
    await inFlight.idle()
  }

  async function stop (): Promise<void> {
    draining = true
    // Closing stops the listener at once (new connections are refused) and closes idle keep-alive connections;
    // it resolves once the last connection has gone.
    const closed = gateway.close()
    await drainRequests()
    // Connections that finished their last request during the drain are idle now; anything else left is cut.
    gateway.server.closeIdleConnections()
    const forced = setTimeout(() => gateway.server.closeAllConnections(), FORCED_CLOSE_AFTER_MS)
    await closed
    clearTimeout(forced)
    await controlPlaneChecked
    await Promise.all([forwarder.close(), routing.close()])
    credentials.stop()
    await Promise.all([admin.close(), tracer.shutdown().catch((error: unknown) => { logger.warn({ err: error }, 'tracing: the last spans could not be sent') })])
    logger.info('bedrock-geofence stopped')
  }

  let stopping: Promise<void> | undefined
  return {
    url: urlOf(gateway, gatewayScheme),
    adminUrl: urlOf(admin),
    metrics,
    logger,
    state: () => state,
    apply (next) {
      const fixed = restartOnlyChanges(state.config, next)
      if (fixed.length > 0) throw new RestartRequiredError(fixed)
      if (!sameUpstream(next.upstream, state.config.upstream)) {
        const previous = forwarder
        forwarder = createForwarder(next.upstream, credentials)
        // The old pool closes once the requests it carries have finished.
        void previous.close()
      }
      routing.apply(next)
      logger.level = next.log.level
      state = buildGatewayState(next)
    },
    shutdown () {
      stopping ??= stop()
      return stopping
    },
    endGracePeriod () {
      graceEnded.abort()
    },
    checkControlPlane () {
      if (credentials.status().ok) controlPlaneChecked = checkControlPlaneAtStartup(routing.controlPlane(), state.config, logger)
      return controlPlaneChecked
    }
  }
}

export interface ShutdownSignal {
  /** Resolves with the first SIGTERM or SIGINT. */
  readonly received: Promise<NodeJS.Signals>
  cancel (): void
}

export function awaitShutdownSignal (): ShutdownSignal {
  let onSignal: (signal: NodeJS.Signals) => void = () => {}
  const cancel = (): void => {
    for (const name of SHUTDOWN_SIGNALS) process.removeListener(name, onSignal)
  }
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      cancel()
      resolve(signal)
    }
  })
  for (const name of SHUTDOWN_SIGNALS) process.on(name, onSignal)
  return { received, cancel }
}

function ignore (): void {}

/**
 * `bedrock-geofence serve`: runs until SIGTERM or SIGINT, then drains and resolves (the process then exits 0). A
 * second signal during the drain ends the grace period at once. SIGHUP and any change to the config file reload it;
 * a config that would not pass start-up is refused, logged and counted, and the old one keeps serving.
 *
 * Every signal is handled from before the listeners open: a SIGTERM during start-up drains as soon as the gateway
 * is up, and a SIGHUP then is ignored (the file was read moments ago) rather than killing the process.
 */
export async function serve (config: GeofenceConfig, configFile: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const shutdownSignal = awaitShutdownSignal()
  process.on(RELOAD_SIGNAL, ignore)
  let running: RunningGateway
  let stopWatching: () => void
  try {
    running = await startGateway(config, { env })
    void running.checkControlPlane()
    const { logger } = running
    // Watched until the very end: its SIGHUP handler keeps a SIGHUP during the drain from killing the process.
    stopWatching = watchConfig(configFile, {
      load: (path) => loadServableConfig(path, env),
      apply: (next) => {
        running.apply(next)
        logger.info({ file: configFile }, 'config reloaded')
      },
      onError: (error) => logger.error({ file: configFile, err: error }, 'config reload refused; the previous config keeps serving'),
      metrics: running.metrics
    })
  } catch (error) {
    shutdownSignal.cancel()
    throw error
  } finally {
    process.removeListener(RELOAD_SIGNAL, ignore)
  }
  const signal = await shutdownSignal.received
  running.logger.info({ signal }, 'shutdown requested')
  const onSecondSignal = (again: NodeJS.Signals): void => {
    running.logger.warn({ signal: again }, 'second shutdown signal: ending the grace period now')
    running.endGracePeriod()
  }
  for (const name of SHUTDOWN_SIGNALS) process.on(name, onSecondSignal)
  try {
    await running.shutdown()
  } finally {
    stopWatching()
    for (const name of SHUTDOWN_SIGNALS) process.removeListener(name, onSecondSignal)
  }
}
