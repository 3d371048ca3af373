import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withExclusiveLock } from './python-env-lock.ts'
import { BASE_PYTHON, installLocked, runProgram, type ProcessResult } from './python-env.ts'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const ENSURE_SCRIPT = join(REPO_ROOT, 'scripts', 'deploy-tools', 'ensure.sh')
const CACHE_DIR = join(REPO_ROOT, '.cache')
const LOCK_DIR = join(CACHE_DIR, 'deploy-tools.lock')
const REQUIREMENTS_FILE = join(REPO_ROOT, 'test', 'deploy', 'requirements.txt')
const TOP_LEVEL_REQUIREMENTS_FILE = join(REPO_ROOT, 'test', 'deploy', 'requirements.in')
const VENV_DIR = join(CACHE_DIR, 'kubernetes-validate')
const VENV_PYTHON = join(VENV_DIR, 'bin', 'python')
const REQUIREMENTS_STAMP = join(VENV_DIR, 'requirements.sha256')
const INSTALL_LOG = join(CACHE_DIR, 'kubernetes-validate-install.log')
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

async function isCurrent (digest: string): Promise<boolean> {
  if (!existsSync(VENV_PYTHON)) return false
  try {
    return (await readFile(REQUIREMENTS_STAMP, 'utf8')).trim() === digest
  } catch {
    return false
  }
}

async function buildValidatorEnv (digest: string): Promise<void> {
  process.stderr.write(`Building kubernetes-validate in ${VENV_DIR}; pip log: ${INSTALL_LOG}\n`)
  await rm(VENV_DIR, { recursive: true, force: true })
  await writeFile(INSTALL_LOG, '')
  const created = await runProgram(BASE_PYTHON, ['-m', 'venv', VENV_DIR], process.env)
  if (created.exitCode !== 0) throw new Error(`python3 -m venv ${VENV_DIR} failed:\n${created.stderr}`)
  await installLocked({
    python: VENV_PYTHON,
    requirementsFile: REQUIREMENTS_FILE,
    topLevelRequirementsFile: TOP_LEVEL_REQUIREMENTS_FILE,
    logFile: INSTALL_LOG
  })
  await writeFile(REQUIREMENTS_STAMP, `${digest}\n`)
}

async function prepare (): Promise<DeployTools> {
  const digest = createHash('sha256').update(await readFile(REQUIREMENTS_FILE)).digest('hex')
  await mkdir(CACHE_DIR, { recursive: true })
  // tap runs test files in parallel processes; one of them builds while the others wait.
  const toolsDir = await withExclusiveLock(LOCK_DIR, LOCK_MAX_WAIT_MS, async () => {
    const dir = await runEnsureScript()
    if (!(await isCurrent(digest))) await buildValidatorEnv(digest)
    return dir
  })
  return {
    helm: join(toolsDir, 'helm'),
    promtool: join(toolsDir, 'promtool'),
    kubernetesValidate: join(VENV_DIR, 'bin', 'kubernetes-validate')
  }
}

let prepared: Promise<DeployTools> | undefined

/**
 * The pinned helm and promtool (scripts/deploy-tools/ensure.sh) and kubernetes-validate (test/deploy/requirements.txt),
 * installed into .cache on first use and reused after; safe to call from parallel test processes.
 */
export async function deployTools (): Promise<DeployTools> {
  prepared ??= prepare().catch((error: unknown) => {
    prepared = undefined
    throw error
  })
  return prepared
}

/** Runs a tool to completion in the repository root, with the caller's environment; no network is involved. */
export async function runTool (program: string, args: readonly string[]): Promise<ProcessResult> {
  return runProgram(program, args, process.env)
}
