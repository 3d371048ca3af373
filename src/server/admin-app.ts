import Fastify, { type FastifyInstance } from 'fastify'
import type { ClientConfig, GeofenceConfig, ListenConfig } from '../config/index.ts'
import type { GeofenceMetrics } from './metrics.ts'
import type { ReadinessReport } from './readiness.ts'

export const HEALTHZ_PATH = '/healthz'
export const READYZ_PATH = '/readyz'
export const METRICS_PATH = '/metrics'
export const CONFIG_PATH = '/config'
export const POLICY_PATH = '/policy'

const HTTP_OK = 200
const HTTP_NOT_FOUND = 404
const HTTP_INTERNAL_ERROR = 500
const HTTP_SERVICE_UNAVAILABLE = 503
/** Shown in place of a value that is configured but must not leave the process. */
const WITHHELD = '[WITHHELD]'

export interface AdminDeps {
  readonly metrics: Pick<GeofenceMetrics, 'registry'>
  readonly readiness: () => ReadinessReport
  /** The config in force; the app itself strips every secret before showing it. */
  readonly effectiveConfig: () => GeofenceConfig
  /** The IAM identity policy generated from the config in force. */
  readonly policy: () => unknown
}

function publicListen (listen: ListenConfig): unknown {
  return {
    host: listen.host,
    port: listen.port,
    tls: listen.tls === undefined ? undefined : { cert: listen.tls.cert, key: WITHHELD }
  }
}

/** Key ids identify a client and are shown; secrets and bearer-key digests never are. */
function publicClient (client: ClientConfig): unknown {
  return {
    name: client.name,
    kind: client.kind,
    accessKeyId: client.kind === 'sigv4' ? client.accessKeyId : undefined,
    allow: client.allow,
    defaultRegion: client.defaultRegion
  }
}

/**
 * The config as `/config` shows it. Built field by field rather than by deleting known secrets, so a secret added to
 * the config later stays hidden until someone decides to show it.
 */
export function publicConfigView (config: GeofenceConfig): unknown {
  return {
    allow: config.allow,
    policy: config.policy,
    listen: publicListen(config.listen),
    admin: publicListen(config.admin),
    upstream: {
      endpoint: config.upstream.endpoint,
      connectTimeoutMs: config.upstream.connectTimeoutMs,
      headersTimeoutMs: config.upstream.headersTimeoutMs,
      bodyIdleTimeoutMs: config.upstream.bodyIdleTimeoutMs
    },
    aws: {
      roleArn: config.aws.roleArn,
      externalId: config.aws.externalId === undefined ? undefined : WITHHELD,
      sessionName: config.aws.sessionName,
      refreshBeforeExpirySeconds: config.aws.refreshBeforeExpirySeconds
    },
    limits: config.limits,
    clients: config.clients.map(publicClient),
    acknowledge: config.acknowledge,
    log: config.log,
    shutdown: config.shutdown
  }
}

/**
 * The operator-facing listener, on its own port so probes and scrapes never compete with Bedrock traffic and are
 * never reachable through the Bedrock endpoint.
 */
export function buildAdminApp (deps: AdminDeps): FastifyInstance {
  const app = Fastify({ logger: false })

  app.get(HEALTHZ_PATH, async () => ({ status: 'ok' }))

  app.get(READYZ_PATH, async (_request, reply) => {
    const report = deps.readiness()
    return reply.code(report.ready ? HTTP_OK : HTTP_SERVICE_UNAVAILABLE).send({ status: report.ready ? 'ready' : 'not ready', ...report })
  })

  app.get(METRICS_PATH, async (_request, reply) => {
    const { registry } = deps.metrics
    return reply.type(registry.contentType).send(await registry.metrics())
  })

  app.get(CONFIG_PATH, async () => publicConfigView(deps.effectiveConfig()))

  app.get(POLICY_PATH, async () => deps.policy())

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(HTTP_NOT_FOUND).send({ message: `No admin endpoint at ${request.method} ${request.url}` }))

  // A failing dependency (policy generator, registry collector) must not leak a stack trace to the scraper.
  app.setErrorHandler(async (_error, _request, reply) =>
    reply.code(HTTP_INTERNAL_ERROR).send({ message: 'The admin endpoint failed to produce its answer.' }))

  return app
}
