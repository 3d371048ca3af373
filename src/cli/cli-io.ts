/** Where a command writes and what environment it reads; tests pass their own to capture output. */
export interface CliIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly env: NodeJS.ProcessEnv
}

export function processIo (): CliIo {
  return {
    stdout: (text) => { process.stdout.write(text) },
    stderr: (text) => { process.stderr.write(text) },
    env: process.env
  }
}
