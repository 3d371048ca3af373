import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { parseAllDocuments } from 'yaml'
import { deployTools, runTool } from './deploy-tools.ts'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CHART_DIR = join(REPO_ROOT, 'deploy', 'helm', 'bedrock-geofence')
export const RELEASE = 'bedrock-geofence'
export const NAMESPACE = 'bedrock-geofence'
/** The Kubernetes releases the chart supports (Chart.yaml's kubeVersion starts there). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.29.0', '1.30.0', '1.31.0', '1.32.0', '1.33.0'] as const
const NEWEST_SUPPORTED = '1.33.0'

/** A rendered manifest, loosely typed: tests read the fields they are about. */
export interface Manifest {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: { readonly name: string, readonly namespace?: string, readonly labels?: Record<string, string>, readonly annotations?: Record<string, string> }
  readonly [field: string]: unknown
}

export interface RenderOptions {
  readonly values?: Record<string, unknown>
  readonly kubeVersion?: string
}

async function helmTemplate (t: Test, options: RenderOptions): Promise<{ exitCode: number | null, stdout: string, stderr: string }> {
  const { helm } = await deployTools()
  // JSON is YAML, so the values file needs no YAML writer.
  const valuesFile = join(t.testdir(), 'values.json')
  writeFileSync(valuesFile, JSON.stringify(options.values ?? {}))
  return runTool(helm, ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE,
    '--kube-version', options.kubeVersion ?? NEWEST_SUPPORTED, '--values', valuesFile])
}

/** `helm template` of the chart with `values` over its defaults; rejects when helm refuses. */
export async function renderChart (t: Test, options: RenderOptions = {}): Promise<Manifest[]> {
  const result = await helmTemplate(t, options)
  if (result.exitCode !== 0) throw new Error(`helm template exited with ${result.exitCode}:\n${result.stderr}`)
  return parseAllDocuments(result.stdout).map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null)
}

/** helm's error when it refuses to render `values`, or undefined when it renders them. */
export async function renderError (t: Test, values: Record<string, unknown>): Promise<string | undefined> {
  const result = await helmTemplate(t, { values })
  return result.exitCode === 0 ? undefined : result.stderr
}

export function findManifest (manifests: readonly Manifest[], kind: string, name?: string): Manifest | undefined {
  return manifests.find((manifest) => manifest.kind === kind && (name === undefined || manifest.metadata.name === name))
}

export function mustFind (manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const manifest = findManifest(manifests, kind, name)
  if (manifest === undefined) throw new Error(`no ${kind}${name === undefined ? '' : ` ${name}`} was rendered`)
  return manifest
}
