import { InvalidArgumentError, type Command } from 'commander'
import { type CliIo, EXIT_CODES, type ExitCode } from './cli-io.ts'

interface DemoCommandOptions {
  readonly port: number
  readonly adminPort: number
}

const HIGHEST_PORT = 65_535
const DEFAULT_PORT = 8080
const DEFAULT_ADMIN_PORT = 9090

function parsePort (value: string): number {
  const port = Number(value)
  if (Number.isInteger(port) && port >= 0 && port <= HIGHEST_PORT) return port
  throw new InvalidArgumentError(`"${value}" is not a TCP port (0-${HIGHEST_PORT})`)
}

async function runDemo (options: DemoCommandOptions, io: CliIo): Promise<ExitCode> {
  // Loaded on demand, like serve: the other commands never pay for the server's dependencies.
  const { startDemo } = await import('../demo/index.ts')
  const { awaitShutdownSignal } = await import('../server/index.ts')
  const shutdown = awaitShutdownSignal()
  const demo = await startDemo({ port: options.port, adminPort: options.adminPort }).catch((error: unknown) => {
    shutdown.cancel()
    throw error
  })
  io.stdout(demo.instructions)
  await shutdown.received
  await demo.close()
  return EXIT_CODES.ok
}

export function registerDemoCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program.command('demo')
    .description('try the gateway without AWS: the shipped allowlist in front of a built-in Bedrock simulator, with keys and calls to paste')
    .option('--port <port>', 'the Bedrock listener on 127.0.0.1', parsePort, DEFAULT_PORT)
    .option('--admin-port <port>', 'the admin listener on 127.0.0.1', parsePort, DEFAULT_ADMIN_PORT)
    .action(async (options: DemoCommandOptions) => { finish(await runDemo(options, io)) })
}
