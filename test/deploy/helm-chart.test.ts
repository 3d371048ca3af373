/**
 * The Helm chart (deploy/helm/bedrock-geofence) renders a gateway that runs the way docs/kubernetes.md promises:
 * hardened, probed on the admin port, given time to drain, reloading its config, reading secrets only by
 * reference, and fenced by its NetworkPolicy. Each test renders the chart with `helm template` and reads the YAML.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { loadConfig } from '../../src/config/load-config.ts'
import { deployTools, runTool } from '../support/deploy-tools.ts'
import { CHART_DIR, NAMESPACE, RELEASE, findManifest, mustFind, renderChart, renderError, type Manifest } from '../support/helm-chart.ts'

interface EnvVar { name: string, value?: string, valueFrom?: { secretKeyRef?: { name: string, key: string } } }
interface Probe { httpGet: { path: string, port: string | number } }
interface Container {
  image: string
  env?: EnvVar[]
  ports: Array<{ name: string, containerPort: number }>
  readinessProbe: Probe
  livenessProbe: Probe
  lifecycle: { preStop: { exec: { command: string[] } } }
  securityContext: { readOnlyRootFilesystem?: boolean, allowPrivilegeEscalation?: boolean, runAsNonRoot?: boolean, capabilities?: { drop?: string[] } }
  volumeMounts: Array<{ name: string, mountPath: string, subPath?: string }>
}
interface PodSpec {
  automountServiceAccountToken?: boolean
  terminationGracePeriodSeconds: number
  securityContext: { runAsNonRoot?: boolean, runAsUser?: number, seccompProfile?: { type: string } }
  containers: Container[]
  volumes: Array<{ name: string, configMap?: { name: string }, emptyDir?: { medium?: string } }>
}
interface PolicyPort { port: number, protocol: string }
interface PolicyPeer { namespaceSelector?: { matchLabels?: Record<string, string>, matchExpressions?: Array<{ key: string, values: string[] }> }, podSelector?: { matchLabels?: Record<string, string> }, ipBlock?: { cidr: string } }
interface PolicyRule { ports?: PolicyPort[], to?: PolicyPeer[], from?: PolicyPeer[] }
interface NetworkPolicySpec { podSelector: { matchLabels?: Record<string, string> }, policyTypes: string[], ingress?: PolicyRule[], egress?: PolicyRule[] }

const FULLNAME = RELEASE
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
const KUBERNETES_DOC = new URL('../../docs/kubernetes.md', import.meta.url)
const LITELLM_POLICY = new URL('../../deploy/helm/examples/litellm-egress-networkpolicy.yaml', import.meta.url)
/** Environment variable names that carry a credential or secret, which must never hold a literal value. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|ACCESS_KEY|API_KEY/

function podSpec (manifests: readonly Manifest[]): PodSpec {
  return (mustFind(manifests, 'Deployment') as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec
}

function gateway (manifests: readonly Manifest[]): Container {
  const [container] = podSpec(manifests).containers
  if (container === undefined) throw new Error('the Deployment has no container')
  return container
}

function networkPolicy (manifests: readonly Manifest[]): NetworkPolicySpec {
  return (mustFind(manifests, 'NetworkPolicy') as unknown as { spec: NetworkPolicySpec }).spec
}

function portNumber (container: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : container.ports.find((named) => named.name === port)?.containerPort
}

function namespacesOf (peer: PolicyPeer): string[] {
  const byLabel = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']
  const byExpression = peer.namespaceSelector?.matchExpressions
    ?.filter((expression) => expression.key === 'kubernetes.io/metadata.name').flatMap((expression) => expression.values) ?? []
  return [...(byLabel === undefined ? [] : [byLabel]), ...byExpression]
}

t.test('helm lint passes with the default values and with the optional parts switched', async (t) => {
  const { helm } = await deployTools()
  for (const overrides of [[], ['--set', 'serviceMonitor.enabled=true,autoscaling.enabled=false,podDisruptionBudget.enabled=false,aws.existingSecret=gateway-aws-keys']]) {
    const result = await runTool(helm, ['lint', CHART_DIR, '--strict', '--kube-version', '1.29.0', ...overrides])
    t.equal(result.exitCode, 0, result.stdout + result.stderr)
  }
})

t.test('the pod runs as uid 1000, never as root, under the runtime default seccomp profile', async (t) => {
  const manifests = await renderChart(t)
  const spec = podSpec(manifests)
  t.equal(spec.securityContext.runAsUser, 1000)
  t.equal(spec.securityContext.runAsNonRoot, true)
  t.equal(spec.securityContext.seccompProfile?.type, 'RuntimeDefault')
  t.equal(gateway(manifests).securityContext.runAsNonRoot, true)
})

t.test('the container has a read-only root filesystem, no capabilities and no privilege escalation', async (t) => {
  const container = gateway(await renderChart(t))
  t.equal(container.securityContext.readOnlyRootFilesystem, true)
  t.same(container.securityContext.capabilities?.drop, ['ALL'])
  t.equal(container.securityContext.allowPrivilegeEscalation, false)
})

t.test('/tmp, the one place the gateway writes, is an in-memory emptyDir', async (t) => {
  const manifests = await renderChart(t)
  const tmp = gateway(manifests).volumeMounts.find((mount) => mount.mountPath === '/tmp')
  t.ok(tmp, '/tmp is mounted')
  t.equal(podSpec(manifests).volumes.find((volume) => volume.name === tmp?.name)?.emptyDir?.medium, 'Memory')
})

t.test('no service-account token is mounted into the pod', async (t) => {
  const manifests = await renderChart(t)
  t.equal(podSpec(manifests).automountServiceAccountToken, false)
  t.equal(mustFind(manifests, 'ServiceAccount').automountServiceAccountToken, false)
})

t.test('readiness asks /readyz and liveness /healthz, both on the admin port 9090', async (t) => {
  const container = gateway(await renderChart(t))
  t.equal(container.readinessProbe.httpGet.path, '/readyz')
  t.equal(portNumber(container, container.readinessProbe.httpGet.port), 9090)
  t.equal(container.livenessProbe.httpGet.path, '/healthz')
  t.equal(portNumber(container, container.livenessProbe.httpGet.port), 9090)
})

t.test('the stop budget outlasts the preStop sleep plus the configured drain grace', async (t) => {
  for (const graceSeconds of [undefined, 12, 30]) {
    const values = { config: { shutdown: graceSeconds === undefined ? {} : { graceSeconds } }, preStopSleepSeconds: 7 }
    const manifests = await renderChart(t, { values })
    const spec = podSpec(manifests)
    const [, sleepSeconds] = gateway(manifests).lifecycle.preStop.exec.command
    t.equal(Number(sleepSeconds), 7, 'the preStop hook sleeps as configured')
    t.ok(spec.terminationGracePeriodSeconds > 7 + (graceSeconds ?? 30),
      `graceSeconds ${graceSeconds ?? 'left to its default of 30'}: ${spec.terminationGracePeriodSeconds} s`)
  }
})

t.test('docs/kubernetes.md states the default stop budget the chart renders', async (t) => {
  const doc = readFileSync(KUBERNETES_DOC, 'utf8')
  const rendered = podSpec(await renderChart(t)).terminationGracePeriodSeconds
  t.match(doc, new RegExp(`\\b${rendered} s by default`))
})

t.test('the config is mounted as a whole directory, so ConfigMap updates reach the watching gateway', async (t) => {
  const manifests = await renderChart(t)
  const container = gateway(manifests)
  const configMap = mustFind(manifests, 'ConfigMap')
  const volume = podSpec(manifests).volumes.find((candidate) => candidate.configMap?.name === configMap.metadata.name)
  const mount = container.volumeMounts.find((candidate) => candidate.name === volume?.name)
  t.equal(mount?.mountPath, '/etc/bedrock-geofence')
  t.equal(mount?.subPath, undefined, 'a subPath mount never sees an update')
  t.equal(container.env?.find((variable) => variable.name === 'GEOFENCE_CONFIG')?.value, '/etc/bedrock-geofence/geofence.yaml')
  t.ok(Object.keys(configMap.data as Record<string, string>).includes('geofence.yaml'))
})

t.test('the gateway accepts the config file the default values render', async (t) => {
  const configMap = mustFind(await renderChart(t), 'ConfigMap')
  const dir = t.testdir({ 'geofence.yaml': (configMap.data as Record<string, string>)['geofence.yaml'] ?? '' })
  // The secret the Deployment takes from the bedrock-geofence-clients Secret.
  const config = await loadConfig(join(dir, 'geofence.yaml'), { GEOFENCE_LITELLM_SECRET: 'test-only-client-secret-for-the-helm-chart-0123' })
  t.equal(config.listen.port, 8080)
  t.equal(config.admin.port, 9090)
})

t.test('a config listening on other ports than the Service and probes name is refused at render time', async (t) => {
  t.match(await renderError(t, { config: { listen: { host: '0.0.0.0', port: 8443 } } }), /config\.listen\.port must be 8080/)
  t.match(await renderError(t, { config: { admin: { host: '0.0.0.0', port: 9100 } } }), /config\.admin\.port must be 9090/)
})

t.test('a PodDisruptionBudget and a CPU HorizontalPodAutoscaler are rendered by default', async (t) => {
  const manifests = await renderChart(t)
  t.equal(mustFind(manifests, 'PodDisruptionBudget').apiVersion, 'policy/v1')
  const hpa = mustFind(manifests, 'HorizontalPodAutoscaler') as unknown as { spec: { scaleTargetRef: { name: string }, metrics: Array<{ resource: { name: string } }> } }
  t.equal(hpa.spec.scaleTargetRef.name, FULLNAME)
  t.same(hpa.spec.metrics.map((metric) => metric.resource.name), ['cpu'])
  t.notOk('replicas' in (mustFind(manifests, 'Deployment').spec as object), 'the HPA, not the Deployment, owns the replica count')
})

t.test('turning autoscaling and the disruption budget off removes them and fixes the replica count', async (t) => {
  const manifests = await renderChart(t, { values: { autoscaling: { enabled: false }, podDisruptionBudget: { enabled: false }, replicaCount: 3 } })
  t.equal(findManifest(manifests, 'HorizontalPodAutoscaler'), undefined)
  t.equal(findManifest(manifests, 'PodDisruptionBudget'), undefined)
  t.equal((mustFind(manifests, 'Deployment').spec as { replicas: number }).replicas, 3)
})

t.test('the NetworkPolicy lets the gateway reach only HTTPS (443) and DNS (53)', async (t) => {
  const policy = networkPolicy(await renderChart(t))
  t.ok(policy.policyTypes.includes('Egress'))
  const ports = (policy.egress ?? []).flatMap((rule) => rule.ports ?? [{ port: Number.NaN, protocol: 'any port' }])
  t.same([...new Set(ports.map((port) => port.port))].sort((a, b) => a - b), [53, 443])
  t.same(ports.filter((port) => port.port === 443).map((port) => port.protocol), ['TCP'])
})

t.test('the NetworkPolicy admits callers to 8080 only from the client namespaces, and 9090 only from monitoring', async (t) => {
  const policy = networkPolicy(await renderChart(t, { values: { networkPolicy: { clientNamespaces: ['litellm', 'batch'], monitoringNamespace: 'observability' } } }))
  t.ok(policy.policyTypes.includes('Ingress'))
  const ingress = policy.ingress ?? []
  t.ok(ingress.every((rule) => (rule.from ?? []).length > 0 && (rule.ports ?? []).length > 0), 'no rule admits any source or any port')
  const namespacesFor = (port: number): string[] => ingress
    .filter((rule) => rule.ports?.some((allowed) => allowed.port === port))
    .flatMap((rule) => (rule.from ?? []).flatMap(namespacesOf))
  t.same(namespacesFor(8080).sort(), ['batch', 'litellm'])
  t.same(namespacesFor(9090), ['observability'])
  t.same(ingress.flatMap((rule) => rule.ports ?? []).map((port) => port.port).sort(), [8080, 9090])
})

t.test('no secret value is rendered: no Secret object, and secret variables come from secretKeyRef', async (t) => {
  const values = { aws: { existingSecret: 'gateway-aws-keys' } }
  const manifests = await renderChart(t, { values })
  t.equal(findManifest(manifests, 'Secret'), undefined)
  const env = gateway(manifests).env ?? []
  const secretVariables = env.filter((variable) => SECRET_NAME.test(variable.name))
  t.same(secretVariables.map((variable) => variable.name).sort(),
    ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'GEOFENCE_LITELLM_SECRET'])
  for (const variable of secretVariables) {
    t.equal(variable.value, undefined, `${variable.name} has no literal value`)
    t.ok(variable.valueFrom?.secretKeyRef?.name, `${variable.name} comes from a Secret`)
  }
})

t.test('the gateway config in the ConfigMap references its secrets instead of holding them', async (t) => {
  const configMap = mustFind(await renderChart(t), 'ConfigMap')
  const config = parse((configMap.data as Record<string, string>)['geofence.yaml'] ?? '') as { clients: Array<{ secretAccessKey?: string }> }
  t.ok(config.clients.length > 0)
  for (const client of config.clients) t.match(client.secretAccessKey, /^\$\{(env|file):[^}]+\}$/)
})

t.test('IRSA: serviceAccount annotations land on the ServiceAccount the pod runs as', async (t) => {
  const roleArn = 'arn:aws:iam::111122223333:role/bedrock-geofence'
  const manifests = await renderChart(t, { values: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } } })
  const account = mustFind(manifests, 'ServiceAccount')
  t.equal(account.metadata.annotations?.['eks.amazonaws.com/role-arn'], roleArn)
  t.equal((mustFind(manifests, 'Deployment').spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName, account.metadata.name)
  t.notOk((gateway(manifests).env ?? []).some((variable) => variable.name.startsWith('AWS_ACCESS_KEY')), 'no static keys without aws.existingSecret')
})

t.test('the image tag is the package version unless image.tag names another', async (t) => {
  t.equal(gateway(await renderChart(t)).image, `bedrock-geofence:${PACKAGE_VERSION}`)
  t.equal(gateway(await renderChart(t, { values: { image: { repository: 'registry.example/geofence', tag: '9.9.9' } } })).image, 'registry.example/geofence:9.9.9')
})

t.test('the chart version and appVersion are the package version', async (t) => {
  const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { version: string, appVersion: string }
  t.equal(chart.version, PACKAGE_VERSION)
  t.equal(chart.appVersion, PACKAGE_VERSION)
})

t.test('the ServiceMonitor is off by default and, when on, scrapes /metrics on the admin Service only', async (t) => {
  t.equal(findManifest(await renderChart(t), 'ServiceMonitor'), undefined)
  const manifests = await renderChart(t, { values: { serviceMonitor: { enabled: true } } })
  const monitor = mustFind(manifests, 'ServiceMonitor') as unknown as { spec: { selector: { matchLabels: Record<string, string> }, endpoints: Array<{ port: string, path: string }> } }
  t.same(monitor.spec.endpoints.map((endpoint) => [endpoint.port, endpoint.path]), [['admin', '/metrics']])
  const selected = manifests.filter((manifest) => manifest.kind === 'Service' &&
    Object.entries(monitor.spec.selector.matchLabels).every(([key, value]) => manifest.metadata.labels?.[key] === value))
  t.same(selected.map((service) => (service.spec as { ports: Array<{ name: string, port: number }> }).ports), [[{ name: 'admin', port: 9090, targetPort: 'admin', protocol: 'TCP' }]])
})

t.test('the LiteLLM example policy lets LiteLLM reach only the gateway on 8080, and DNS', async (t) => {
  const example = parse(readFileSync(LITELLM_POLICY, 'utf8')) as { spec: NetworkPolicySpec }
  t.same(example.spec.policyTypes, ['Egress'])
  const egress = example.spec.egress ?? []
  t.same(egress.flatMap((rule) => (rule.ports ?? []).map((port) => port.port)).sort((a, b) => a - b), [53, 53, 8080])
  t.ok(egress.every((rule) => (rule.to ?? []).length > 0), 'every rule names its destination')
  const toGateway = egress.find((rule) => rule.ports?.some((port) => port.port === 8080))
  const [peer] = toGateway?.to ?? []
  const gatewayPods = networkPolicy(await renderChart(t)).podSelector.matchLabels
  t.same(namespacesOf(peer ?? {}), [NAMESPACE], 'the gateway release\'s namespace')
  t.same(peer?.podSelector?.matchLabels, gatewayPods, 'the pods the chart\'s own policy selects')
})
