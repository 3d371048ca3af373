import type { CliIo } from '../../src/cli/cli-io.ts'

export interface CapturedIo extends CliIo {
  readonly out: () => string
  readonly err: () => string
}

/** A CLI environment that keeps what a command prints, for assertions. */
export function capturedIo (env: NodeJS.ProcessEnv = {}): CapturedIo {
  let out = ''
  let err = ''
  return {
    stdout: (text) => { out += text },
    stderr: (text) => { err += text },
    env,
    out: () => out,
    err: () => err
  }
}
