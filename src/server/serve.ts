import type { AddressInfo } from 'node:net'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { GeofenceConfig, UpstreamConfig } from '../config/types.ts'
import { identityPolicy } from '../policy/iam-policy.ts'
import { loadServableConfig } from '../policy/servable-config.ts'
import { createCredentialSource, type CredentialSource } from '../upstream/credentials.ts'
import { createForwarder, type Forwarder } from '../upstream/forwarder.ts'
import { buildAdminApp } from './admin-app.ts'
import { createLogger } from './audit-log.ts'
import { watchConfig } from './config-reloader.ts'
import { buildGatewayApp } from './gateway-app.ts'
import { buildGatewayState, type GatewayState } from './gateway-state.ts'
import { InFlightRequests } from './in-flight.ts'
import { createMetrics, type GeofenceMetrics } from './metrics.ts'
import { createReadiness } from './readiness.ts'
import { recordOutcome } from './record-outcome.ts'

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const
const MS_PER_SECOND = 1000

export interface StartOptions {
  /** Where credentials come from; the default Node chain (or the configured role) unless a test supplies one. */
  readonly credentialProvider?: AwsCredentialIdentityProvider
  readonly logger?: Logger
}

/** A started gateway: both listeners up, the config swappable, and a drain that ends in a clean stop. */
export interface RunningGateway {
  readonly url: string
  readonly adminUrl: string
  readonly metrics: GeofenceMetrics
  readonly logger: Logger
  state (): GatewayState
  /** Swaps in a new config for new requests; requests under way finish under the one they started with. */
  apply (config: GeofenceConfig): void
  /**
   * Readiness turns false and new connections are refused at once; requests under way get the grace period, then
   * streams still open are ended with an exception event. Resolves when everything is closed.
   */
  shutdown (): Promise<void>
}

function urlOf (app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

function sameUpstream (a: UpstreamConfig, b: UpstreamConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export async function startGateway (config: GeofenceConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.log)
  const credentials: CredentialSource = createCredentialSource(config.aws, options.credentialProvider)
  await credentials.start()
  let state = buildGatewayState(config)
  let forwarder: Forwarder = createForwarder(config.upstream, credentials)
  let draining = false
  const inFlight = new InFlightRequests()
  const metrics = createMetrics({
    configuredClients: () => new Set(state.config.clients.map(({ name }) => name)),
    credentials: () => credentials.status()
  })
  const readiness = createReadiness({
    configLoaded: () => true,
    credentials: () => credentials.status(),
    draining: () => draining
  })

  const gateway = buildGatewayApp({
    state: () => state,
    forwarder: () => forwarder,
    now: () => new Date(),
    inFlight,
    draining: () => draining,
    onOutcome: (outcome) => recordOutcome(outcome, metrics, logger)
  })
  const admin = buildAdminApp({
    metrics,
    readiness,
    effectiveConfig: () => state.config,
    policy: () => identityPolicy(state.config)
  })
  await gateway.listen({ host: config.listen.host, port: config.listen.port })
  await admin.listen({ host: config.admin.host, port: config.admin.port })
  if (config.clients.length === 0) {
    logger.warn({ listen: urlOf(gateway) }, 'no clients configured: any caller that reaches this loopback port is served under the global allowlist')
  }
  logger.info({ listen: urlOf(gateway), admin: urlOf(admin) }, 'bedrock-geofence listening')

  let stopping: Promise<void> | undefined
  async function stop (): Promise<void> {
    draining = true
    const graceMs = state.config.shutdown.graceSeconds * MS_PER_SECOND
    const closed = gateway.close()
    const grace = setTimeout(() => inFlight.shutdownAll(), graceMs)
    await inFlight.idle()
    clearTimeout(grace)
    await closed
    await forwarder.close()
    credentials.stop()
    await admin.close()
    logger.info('bedrock-geofence stopped')
  }

  return {
    url: urlOf(gateway),
    adminUrl: urlOf(admin),
    metrics,
    logger,
    state: () => state,
    apply (next) {
      if (!sameUpstream(next.upstream, state.config.upstream)) {
        const previous = forwarder
        forwarder = createForwarder(next.upstream, credentials)
        void previous.close()
      }
      state = buildGatewayState(next)
    },
    shutdown () {
      stopping ??= stop()
      return stopping
    }
  }
}

/**
 * `bedrock-geofence serve`: runs until SIGTERM or SIGINT, then drains and resolves. SIGHUP and any change to the
 * config file reload it; a config that would not pass start-up is refused and the old one keeps serving.
 */
export async function serve (config: GeofenceConfig, configFile: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const running = await startGateway(config)
  const stopWatching = watchConfig(configFile, {
    load: (path) => loadServableConfig(path, env),
    apply: (next) => {
      running.apply(next)
      running.logger.info({ file: configFile }, 'config reloaded')
    },
    onError: (error) => running.logger.error({ file: configFile, err: error }, 'config reload refused; the previous config keeps serving'),
    metrics: running.metrics
  })
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      running.logger.info({ signal }, 'draining')
      for (const name of SHUTDOWN_SIGNALS) process.removeListener(name, onSignal)
      resolve()
    }
    for (const name of SHUTDOWN_SIGNALS) process.on(name, onSignal)
  })
  stopWatching()
  await running.shutdown()
}
