import { mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withExclusiveLock } from './python-env-lock.ts'
import { lockedVirtualenv, runProgram, type LockedVirtualenv, type ProcessResult } from './python-env.ts'
import { sharedPreparation } from './shared-preparation.ts'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENSURE_SCRIPT = join(REPO_ROOT, 'scripts', 'deploy-tools', 'ensure.sh')
const CACHE_DIR = join(REPO_ROOT, '.cache')
const LOCK_DIR = join(CACHE_DIR, 'deploy-tools.lock')
const VALIDATOR_VENV: LockedVirtualenv = {
  title: 'kubernetes-validate',
  requirementsDir: join(REPO_ROOT, 'test', 'deploy'),
  dir: join(CACHE_DIR, 'kubernetes-validate')
}
// A fresh machine builds helm from source: minutes on two cores, longer while other builds share them.
const LOCK_MAX_WAIT_MS = 30 * 60_000

export interface DeployTools {
  readonly helm: string
  readonly promtool: string
  /** The kubernetes-validate command of its own hashed-lock environment. */
  readonly kubernetesValidate: string
}

async function runEnsureScript (): Promise<string> {
  const result = await runProgram('bash', [ENSURE_SCRIPT], process.env)
  if (result.exitCode !== 0) throw new Error(`${ENSURE_SCRIPT} exited with ${result.exitCode}:\n${result.stderr}`)
  return result.stdout.trim()
}

async function prepare (): Promise<DeployTools> {
  await mkdir(CACHE_DIR, { recursive: true })
  // tap runs test files in parallel processes; one of them builds while the others wait.
  const toolsDir = await withExclusiveLock(LOCK_DIR, LOCK_MAX_WAIT_MS, runEnsureScript)
  const python = await lockedVirtualenv(VALIDATOR_VENV)
  return {
    helm: join(toolsDir, 'helm'),
    promtool: join(toolsDir, 'promtool'),
    kubernetesValidate: join(dirname(python), 'kubernetes-validate')
  }
}

/**
 * The pinned helm and promtool (scripts/deploy-tools/ensure.sh) and kubernetes-validate (test/deploy/requirements.txt),
 * installed into .cache on first use and reused after; safe to call from parallel test processes.
 */
export const deployTools: () => Promise<DeployTools> = sharedPreparation(prepare)

/** Runs a tool to completion in the repository root, with the caller's environment; no network is involved. */
export async function runTool (program: string, args: readonly string[]): Promise<ProcessResult> {
  return runProgram(program, args, process.env)
}
