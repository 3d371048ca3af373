import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect, createServer, type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { TICKS_PER_SECOND } from './machine.ts'
import type { MeasuredProcess } from './measured-process.ts'
import { rssBytes } from './process-memory.ts'
import { LOOPBACK_HOST } from './workload.ts'

const READY_TIMEOUT_MS = 10_000
const READY_POLL_MS = 50
const STOP_TIMEOUT_MS = 5_000
const STDERR_TAIL_CHARS = 4000
const MICROS_PER_TICK = 1e6 / TICKS_PER_SECOND
// /proc/PID/stat after the command name in parentheses: utime and stime are the 12th and 13th fields from there.
const UTIME_FIELD = 11
const STIME_FIELD = 12

/** A port on loopback that nothing listens on right now, for a program that must be told its port. */
export async function freeLoopbackPort (): Promise<number> {
  const server = createServer()
  server.listen(0, LOOPBACK_HOST)
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

function cpuMicrosOf (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[UTIME_FIELD]) + Number(fields[STIME_FIELD])) * MICROS_PER_TICK
}

async function accepts (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, LOOPBACK_HOST)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

export interface ExternalProgram {
  readonly name: string
  readonly executable: string
  readonly args: readonly string[]
  readonly env: NodeJS.ProcessEnv
  /** The loopback port the program was told to listen on. */
  readonly port: number
}

/**
 * Starts a program that is not one of the bench's Node children (the Go signing proxy), and measures it from outside:
 * its CPU time and RSS come from /proc, as the kernel counts them, since it cannot be asked over IPC.
 */
export async function spawnExternal (program: ExternalProgram): Promise<MeasuredProcess> {
  let stderrTail = ''
  const child = spawn(program.executable, [...program.args], { env: program.env, stdio: ['ignore', 'ignore', 'pipe'] })
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS)
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${program.name} did not start (${program.executable})`)
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!(await accepts(program.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`${program.name} did not listen on ${LOOPBACK_HOST}:${program.port}:\n${stderrTail}`)
    }
    await sleep(READY_POLL_MS)
  }
  return {
    name: program.name,
    pid,
    url: `http://${LOOPBACK_HOST}:${program.port}`,
    async stats () {
      return { kind: 'stats', cpuMicros: cpuMicrosOf(pid), rssBytes: rssBytes(pid) }
    },
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(killTimer)
    }
  }
}
