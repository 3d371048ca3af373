import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { FAKE_UPSTREAM_CREDENTIALS } from './fake-bedrock/index.ts'
import { TEST_ENV } from './gateway-harness.ts'
import { UNMEASURED_CHILD_ENV } from './unmeasured-child.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const LAUNCHER = 'test/support/source-launcher.ts'
const LISTENING_MESSAGE = 'bedrock-geofence listening'
const DEFAULT_WAIT_MS = 10_000

export type LogLine = Readonly<Record<string, unknown>>

export interface ProcessExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** `bedrock-geofence serve --config FILE` as a child process, its JSON log lines parsed as they arrive. */
export interface GatewayProcess {
  readonly child: ChildProcess
  readonly url: string
  readonly adminUrl: string
  readonly port: number
  /** Every JSON line written to stdout so far. */
  readonly logLines: readonly LogLine[]
  /** Everything written to stderr so far (a crash's stack trace). */
  readonly stderr: () => string
  /** Resolves with the first line (already written or still to come) that satisfies `predicate`. */
  waitForLog (predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>
  readonly exited: Promise<ProcessExit>
  kill (signal: NodeJS.Signals): void
}

/**
 * Starts the gateway CLI on `configPath` with the test clients' secrets and the fake Bedrock's credentials in its
 * environment (the default credential chain reads them there, and instance metadata is switched off), and waits
 * until it logs that it listens. Killed at teardown if the test left it running.
 */
export async function startGatewayProcess (t: Test, configPath: string): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, 'serve', '--config', configPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      ...TEST_ENV,
      AWS_ACCESS_KEY_ID: FAKE_UPSTREAM_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_UPSTREAM_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...UNMEASURED_CHILD_ENV
    }
  })
  const exited = new Promise<ProcessExit>((resolve) => child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })

  const logLines: LogLine[] = []
  const watchers = new Set<() => void>()
  let partial = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      if (line.trim() === '') continue
      logLines.push(JSON.parse(line) as LogLine)
    }
    for (const wake of watchers) wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })

  const waitForLog = (predicate: (line: LogLine) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = logLines.find(predicate)
        if (found === undefined) return false
        cleanup()
        resolve(found)
        return true
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`no such log line within ${timeoutMs} ms; stderr: ${stderr}`))
      }, timeoutMs)
      const onExit = (): void => {
        if (check()) return
        cleanup()
        reject(new Error(`the gateway exited first; stderr: ${stderr}`))
      }
      const cleanup = (): void => {
        clearTimeout(timer)
        watchers.delete(watcher)
        child.removeListener('close', onExit)
      }
      const watcher = (): void => { check() }
      if (check()) return
      watchers.add(watcher)
      child.once('close', onExit)
    })

  const listening = await waitForLog((line) => line.msg === LISTENING_MESSAGE)
  const url = String(listening.listen)
  return {
    child,
    url,
    adminUrl: String(listening.admin),
    port: Number(new URL(url).port),
    logLines,
    stderr: () => stderr,
    waitForLog,
    exited,
    kill: (signal) => { child.kill(signal) }
  }
}
