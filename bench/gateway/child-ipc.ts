/**
 * The IPC protocol between the bench (parent) and the processes it measures (upstream, gateway). A child announces
 * its URL once it listens, then answers each stats request with its own CPU time and memory: the parent never
 * estimates another process's cost from outside.
 */

export interface ReadyMessage {
  readonly kind: 'ready'
  readonly url: string
}

export interface StatsMessage {
  readonly kind: 'stats'
  /** process.cpuUsage() user + system, in microseconds since the process started. */
  readonly cpuMicros: number
  readonly rssBytes: number
}

export type ChildMessage = ReadyMessage | StatsMessage

export interface StatsRequest { readonly kind: 'stats' }
export interface StopRequest { readonly kind: 'stop' }
export type ParentMessage = StatsRequest | StopRequest

function send (message: ChildMessage): void {
  process.send?.(message)
}

/**
 * Child side: announce the URL, answer stats requests, and on `stop` run `stop` and exit (a clean exit, so a
 * `--cpu-prof` profile gets written). The IPC channel is the child's lifeline: when the parent dies, it goes too.
 */
export function serveParent (url: string, stop: () => Promise<void>): void {
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'stats') {
      const { user, system } = process.cpuUsage()
      send({ kind: 'stats', cpuMicros: user + system, rssBytes: process.memoryUsage.rss() })
    } else {
      void stop().finally(() => process.exit(0))
    }
  })
  process.on('disconnect', () => process.exit(0))
  send({ kind: 'ready', url })
}
