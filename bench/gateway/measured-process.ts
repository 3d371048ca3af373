import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { ChildMessage, ParentMessage, StatsMessage } from './child-ipc.ts'

const READY_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 15_000
const STDERR_TAIL_CHARS = 4000

export interface MeasuredProcess {
  readonly name: string
  readonly pid: number
  readonly url: string
  /** The child's own CPU time and RSS, asked for over IPC. */
  stats (): Promise<StatsMessage>
  /** Asks the child to stop cleanly (so a profile gets written); kills it if it does not within 15 s. */
  stop (): Promise<void>
}

export interface SpawnOptions {
  readonly name: string
  /** Compiled JavaScript (see compile-children.ts), run as the gateway runs in production. */
  readonly script: URL
  readonly args?: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  /** Extra node flags, such as `--cpu-prof`. */
  readonly nodeFlags?: readonly string[]
}

function nextMessage (child: ChildProcess, kind: ChildMessage['kind'], stderr: () => string): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.kind !== kind) return
      cleanUp()
      resolve(message)
    }
    const onExit = (code: number | null): void => {
      cleanUp()
      reject(new Error(`child exited with ${code} before sending ${kind}:\n${stderr()}`))
    }
    const cleanUp = (): void => {
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

/**
 * Forks a bench child (its standard output goes nowhere: the gateway's audit log costs its write, as in
 * production, but nobody reads it) and waits for it to listen.
 */
export async function spawnMeasured (options: SpawnOptions): Promise<MeasuredProcess> {
  let stderrTail = ''
  const child = fork(options.script, [...(options.args ?? [])], {
    execArgv: [...(options.nodeFlags ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc']
  })
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS)
  })
  const stderr = (): string => stderrTail
  const readyTimer = setTimeout(() => child.kill(), READY_TIMEOUT_MS)
  const ready = await nextMessage(child, 'ready', stderr).finally(() => clearTimeout(readyTimer))
  if (ready.kind !== 'ready' || child.pid === undefined) throw new Error(`${options.name} did not start`)

  let queue: Promise<unknown> = Promise.resolve()
  const request = (message: ParentMessage): void => { child.send(message) }
  return {
    name: options.name,
    pid: child.pid,
    url: ready.url,
    stats () {
      // One question at a time, so each answer belongs to its question.
      const answer = queue.then(async () => {
        const reply = nextMessage(child, 'stats', stderr)
        request({ kind: 'stats' })
        return await reply as StatsMessage
      })
      queue = answer.catch(() => undefined)
      return answer
    },
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      request({ kind: 'stop' })
      const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(killTimer)
    }
  }
}
