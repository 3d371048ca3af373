/** The running gateway: listeners, the request handler, metrics, audit log, reload and shutdown. */

export { loadServableConfig, UnacknowledgedFindingsError } from './servable-config.ts'
export { awaitShutdownSignal, serve, startGateway } from './serve.ts'
export type { RunningGateway } from './serve.ts'
