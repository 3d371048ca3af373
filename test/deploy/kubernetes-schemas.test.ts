/**
 * Every manifest the chart renders, with the default values and with every option turned on, is valid against the
 * Kubernetes API schemas of each release the chart supports (kubernetes-validate bundles them, so this runs
 * offline). The LiteLLM example policy is checked the same way.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { stringify } from 'yaml'
import { deployTools, runTool } from '../support/deploy-tools.ts'
import { SUPPORTED_KUBERNETES_VERSIONS, renderChart, type Manifest } from '../support/helm-chart.ts'

const LITELLM_POLICY = fileURLToPath(new URL('../../deploy/helm/examples/litellm-egress-networkpolicy.yaml', import.meta.url))

/**
 * prometheus-operator's ServiceMonitor is a custom resource: no Kubernetes release's schema describes it, and
 * kubernetes-validate passes a kind it does not know without a word. Its fields are asserted in helm-chart.test.ts.
 */
const CUSTOM_RESOURCE_KINDS = new Set(['ServiceMonitor'])

const EVERY_OPTION = {
  autoscaling: { enabled: false },
  replicaCount: 3,
  serviceMonitor: { enabled: true, labels: { release: 'prometheus' } },
  aws: { existingSecret: 'gateway-aws-keys', region: 'us-east-1' },
  serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/bedrock-geofence' } },
  networkPolicy: { httpsCidrs: ['10.0.0.0/16'], allowEksPodIdentityAgent: true, clientNamespaces: ['litellm', 'batch'] },
  extraEnv: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=384' }],
  imagePullSecrets: [{ name: 'registry-credentials' }],
  podAnnotations: { 'example.com/team': 'platform' },
  nodeSelector: { 'kubernetes.io/arch': 'amd64' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gateway', effect: 'NoSchedule' }]
}

async function validate (t: Test, file: string, kubeVersion: string): Promise<string> {
  const { kubernetesValidate } = await deployTools()
  const result = await runTool(kubernetesValidate, ['--strict', '--kubernetes-version', kubeVersion, file])
  const errors = result.stdout.split('\n').filter((line) => line.startsWith('ERROR'))
  t.equal(result.exitCode, 0, [...errors, result.stderr].join('\n').trim())
  return result.stdout
}

for (const [valuesName, values] of [['default values', {}], ['every option on', EVERY_OPTION]] as const) {
  for (const kubeVersion of SUPPORTED_KUBERNETES_VERSIONS) {
    t.test(`${valuesName}: every built-in resource is valid on Kubernetes ${kubeVersion}`, async (t) => {
      const manifests = (await renderChart(t, { values, kubeVersion })).filter((manifest: Manifest) => !CUSTOM_RESOURCE_KINDS.has(manifest.kind))
      const file = join(t.testdir(), 'rendered.yaml')
      writeFileSync(file, manifests.map((manifest) => stringify(manifest)).join('---\n'))
      const report = await validate(t, file, kubeVersion)
      // A resource the validator has no schema for would pass silently; each must be reported as checked.
      for (const manifest of manifests) {
        t.ok(report.includes(`passed for resource ${manifest.kind.toLowerCase()}/${manifest.metadata.name} `), `${manifest.kind} ${manifest.metadata.name} was checked`)
      }
    })
  }
}

for (const kubeVersion of SUPPORTED_KUBERNETES_VERSIONS) {
  t.test(`the LiteLLM example policy is valid on Kubernetes ${kubeVersion}`, async (t) => {
    t.match(await validate(t, LITELLM_POLICY, kubeVersion), /passed for resource networkpolicy\/litellm-egress-only-to-bedrock-geofence /)
  })
}
