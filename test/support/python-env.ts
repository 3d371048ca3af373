import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withExclusiveLock } from './python-env-lock.ts'
import { sharedPreparation } from './shared-preparation.ts'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CLIENT_REQUIREMENTS_DIR = join(REPO_ROOT, 'test', 'clients')
const CLOSURE_CHECK = join(REPO_ROOT, 'test', 'support', 'check_installed_closure.py')
const CACHE_DIR = join(REPO_ROOT, '.cache')
const CLIENT_VENV_DIR = join(CACHE_DIR, 'venv')
const SDK_REQUIREMENTS_DIR = join(CLIENT_REQUIREMENTS_DIR, 'sdk')
const SDK_VENV_DIR = join(CACHE_DIR, 'venv-sdk')
const BIDI_REQUIREMENTS_DIR = join(CLIENT_REQUIREMENTS_DIR, 'bidi')
const BIDI_VENV_DIR = join(CACHE_DIR, 'venv-bidi')
const PYENV_SHIMS = '/.pyenv/shims'
const REQUIREMENTS_STAMP_FILE = 'requirements.sha256'
export const BASE_PYTHON = 'python3'
// A first build on a slow link takes minutes; waiting longer than this means a holder is stuck, not busy.
const LOCK_MAX_WAIT_MS = 30 * 60_000
const LOG_TAIL_LINES = 40

const OFFLINE_GUARD_DIR = join(REPO_ROOT, 'test', 'support', 'python-offline')
/** What test/support/python-offline/sitecustomize.py writes to stderr when it refuses a non-loopback attempt. */
export const OFFLINE_GUARD_MARKER = 'python-offline-guard: blocked'

const LOOPBACK_HOSTS = '127.0.0.1,localhost'
// Only these survive from the parent environment: real AWS keys, proxies, DATABASE_URL, REDIS_HOST, callback
// API keys and the like must not steer LiteLLM, botocore or the AWS CLI anywhere.
const INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ']
const OFFLINE_VARIABLES: Record<string, string> = {
  // Without it, `import litellm` downloads its model price list.
  LITELLM_LOCAL_MODEL_COST_MAP: 'True',
  LITELLM_TELEMETRY: 'False',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  NO_PROXY: LOOPBACK_HOSTS,
  no_proxy: LOOPBACK_HOSTS,
  HF_HUB_OFFLINE: '1',
  PYTHONPATH: OFFLINE_GUARD_DIR,
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONNOUSERSITE: '1',
  PYTHONUNBUFFERED: '1'
}

export interface ProcessResult {
  stdout: string
  stderr: string
  exitCode: number | null
  signal: NodeJS.Signals | null
}

// The install procedure is part of the stamp, so that changing how the lock is installed rebuilds the environment.
function requirementsDigest (requirements: Buffer): string {
  return createHash('sha256').update(requirements).update(JSON.stringify(LOCKED_INSTALL_ARGUMENTS)).digest('hex')
}

async function readStamp (stampFile: string): Promise<string | undefined> {
  try {
    return (await readFile(stampFile, 'utf8')).trim()
  } catch {
    return undefined
  }
}

async function logTail (logFile: string): Promise<string> {
  const lines = (await readFile(logFile, 'utf8')).trimEnd().split('\n')
  return lines.slice(-LOG_TAIL_LINES).join('\n')
}

async function runLogged (command: string, args: readonly string[], logFile: string): Promise<void> {
  const log = await open(logFile, 'a')
  try {
    await log.write(`$ ${command} ${args.join(' ')}\n`)
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', log.fd, log.fd] })
      child.once('error', reject)
      child.once('close', resolve)
    })
    if (exitCode !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited with ${exitCode}; end of ${logFile}:\n${await logTail(logFile)}`)
    }
  } finally {
    await log.close()
  }
}

// The lock alone decides what is installed: --no-deps keeps pip's resolver from running at all, so a release
// published after the lock was made can never be picked (with the resolver on, pip filled the extra of
// `httpx[http2]` with whatever httpx was newest). --only-binary keeps out sdist builds and the unpinned build
// backends they would fetch. The lock must therefore name every package that anything in it needs: `pip check` and
// the closure check (which also follows extras) fail the build when it does not.
const LOCKED_INSTALL_ARGUMENTS = ['-m', 'pip', 'install', '--no-deps', '--require-hashes', '--only-binary=:all:',
  '--disable-pip-version-check', '--no-input']
const INSTALLED_CHECK_ARGUMENTS = ['-m', 'pip', 'check', '--disable-pip-version-check']

export interface LockedInstall {
  /** The python of the environment to install into. */
  python: string
  /** The hashed lock: every package, pinned. */
  requirementsFile: string
  /** What the lock was compiled from, with its extras: where the closure check starts. */
  topLevelRequirementsFile: string
  /** pip's output is appended here; the error of a failed step quotes its end. */
  logFile: string
  /** pip options that choose where packages come from (a local `--find-links` folder); pip's index otherwise. */
  sourceArguments?: readonly string[]
}

/**
 * Installs a hashed lock into an environment exactly as locked, then checks that every requirement of every
 * installed package, extras included, is met. Rejects, quoting the failing step's output, when one is not.
 */
export async function installLocked (install: LockedInstall): Promise<void> {
  const { python, requirementsFile, topLevelRequirementsFile, logFile, sourceArguments = [] } = install
  await runLogged(python, [...LOCKED_INSTALL_ARGUMENTS, ...sourceArguments, '-r', requirementsFile], logFile)
  await runLogged(python, INSTALLED_CHECK_ARGUMENTS, logFile)
  await runLogged(python, [CLOSURE_CHECK, topLevelRequirementsFile], logFile)
}

/** A virtualenv in .cache built from a hashed lock (with requirements.txt and requirements.in in one folder). */
export interface LockedVirtualenv {
  /** What the build says it is building. */
  readonly title: string
  /** The folder holding requirements.txt (the hashed lock) and requirements.in (what it was compiled from). */
  readonly requirementsDir: string
  /** The virtualenv's folder. */
  readonly dir: string
  /** The interpreter the virtualenv is made from; BASE_PYTHON unless the lock needs another. */
  readonly basePython?: () => Promise<string>
}

function pythonOf (venvDir: string): string {
  return join(venvDir, 'bin', 'python')
}

// existsSync follows the symlink to the base interpreter, so a venv whose python3 was removed counts as missing.
async function isCurrent (venvDir: string, digest: string): Promise<boolean> {
  return existsSync(pythonOf(venvDir)) && (await readStamp(join(venvDir, REQUIREMENTS_STAMP_FILE))) === digest
}

// pip runs with the caller's environment on purpose: it is the one step that needs the package index (and any
// proxy or certificate settings the machine uses to reach it).
async function build (venv: LockedVirtualenv, digest: string, logFile: string): Promise<void> {
  process.stderr.write(`Building ${venv.title} in ${venv.dir}; pip log: ${logFile}\n`)
  await rm(venv.dir, { recursive: true, force: true })
  await writeFile(logFile, '')
  await runLogged(await (venv.basePython?.() ?? Promise.resolve(BASE_PYTHON)), ['-m', 'venv', venv.dir], logFile)
  await installLocked({
    python: pythonOf(venv.dir),
    requirementsFile: join(venv.requirementsDir, 'requirements.txt'),
    topLevelRequirementsFile: join(venv.requirementsDir, 'requirements.in'),
    logFile
  })
  await writeFile(join(venv.dir, REQUIREMENTS_STAMP_FILE), `${digest}\n`)
}

/**
 * Path of the virtualenv's python, its lock installed. Built on first use and rebuilt when the lock (or the way it is
 * installed) changes; safe to call from parallel test processes, which wait for one build.
 */
export async function lockedVirtualenv (venv: LockedVirtualenv): Promise<string> {
  const digest = requirementsDigest(await readFile(join(venv.requirementsDir, 'requirements.txt')))
  if (await isCurrent(venv.dir, digest)) return pythonOf(venv.dir)
  await mkdir(CACHE_DIR, { recursive: true })
  await withExclusiveLock(`${venv.dir}.lock`, LOCK_MAX_WAIT_MS, async () => {
    // Another process may have finished the build while this one waited for the lock.
    if (!(await isCurrent(venv.dir, digest))) await build(venv, digest, `${venv.dir}-install.log`)
  })
  return pythonOf(venv.dir)
}

const CLIENT_VENV: LockedVirtualenv = { title: 'the Python client environment', requirementsDir: CLIENT_REQUIREMENTS_DIR, dir: CLIENT_VENV_DIR }

/**
 * Path of the test virtualenv's python, with test/clients/requirements.txt installed in .cache/venv; safe to call
 * from parallel test processes.
 */
export const venvPython: () => Promise<string> = sharedPreparation(() => lockedVirtualenv(CLIENT_VENV))

const SDK_VENV: LockedVirtualenv = { title: 'the Python SDK environment (newest LiteLLM, openai, anthropic)', requirementsDir: SDK_REQUIREMENTS_DIR, dir: SDK_VENV_DIR }

/**
 * Path of the SDK virtualenv's python, with test/clients/sdk/requirements.txt installed in .cache/venv-sdk: LiteLLM's
 * newest release and the official openai and anthropic clients, apart from the LTS proxy in .cache/venv.
 */
export const sdkVenvPython: () => Promise<string> = sharedPreparation(() => lockedVirtualenv(SDK_VENV))

/** Path of a program the requirements installed into the virtualenv's bin folder (`aws`, `litellm`). */
export async function venvProgram (name: string): Promise<string> {
  await venvPython()
  return join(CLIENT_VENV_DIR, 'bin', name)
}

/**
 * Environment for the Python clients: nothing reaches beyond 127.0.0.1, no real AWS configuration or credentials,
 * loopback fence loaded. `extra` (test keys, regions, endpoints) is applied last.
 */
export function pythonEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(INHERITED_VARIABLES
    .filter((name) => process.env[name] !== undefined)
    .map((name) => [name, process.env[name]]))
  return { ...inherited, ...OFFLINE_VARIABLES, ...extra }
}

/** Runs `program` to completion with no stdin and collects its output. */
export async function runProgram (program: string, args: readonly string[] = [],
  env: NodeJS.ProcessEnv = pythonEnv()): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.once('error', reject)
    child.once('close', (exitCode, signal) => resolve({
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
      exitCode,
      signal
    }))
  })
}

/** Runs the venv's python on `scriptPath` (or `-c`, with the code as the first arg) in `env`. */
export async function runPython (scriptPath: string, args: readonly string[] = [],
  env: NodeJS.ProcessEnv = pythonEnv()): Promise<ProcessResult> {
  return runProgram(await venvPython(), [scriptPath, ...args], env)
}

/**
 * Python 3.12, which `aws_sdk_bedrock_runtime` needs and its lock was compiled for (the lock pins 3.12 wheels): one
 * that pyenv installed, or `python3.12` on PATH (pyenv's shims excepted: they answer only for the active version).
 */
async function python312 (): Promise<string> {
  const pyenvVersions = join(process.env.HOME ?? '', '.pyenv', 'versions')
  const byPyenv = existsSync(pyenvVersions)
    ? (await readdir(pyenvVersions)).filter((version) => version.startsWith('3.12.')).sort().reverse()
        .map((version) => join(pyenvVersions, version, 'bin', 'python3.12'))
    : []
  const onPath = (process.env.PATH ?? '').split(':').filter((dir) => !dir.includes(PYENV_SHIMS)).map((dir) => join(dir, 'python3.12'))
  const found = [...byPyenv, ...onPath].find((candidate) => existsSync(candidate))
  if (found === undefined) throw new Error('the bidirectional-stream Python client needs Python 3.12: none under ~/.pyenv/versions or on PATH')
  return found
}

const BIDI_VENV: LockedVirtualenv = {
  title: 'the Python 3.12 environment of aws_sdk_bedrock_runtime (bidirectional streams)',
  requirementsDir: BIDI_REQUIREMENTS_DIR,
  dir: BIDI_VENV_DIR,
  basePython: python312
}

/**
 * Path of the Python 3.12 virtualenv's python, with test/clients/bidi/requirements.txt installed in .cache/venv-bidi:
 * `aws_sdk_bedrock_runtime`, which LiteLLM's realtime Nova Sonic support is built on, with its awscrt HTTP/2 client.
 */
export const bidiVenvPython: () => Promise<string> = sharedPreparation(() => lockedVirtualenv(BIDI_VENV))
