import { isLoopbackHost } from './loopback.ts'
import type { RawConfig } from './schema.ts'

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----'
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/
const REFERENCE_SYNTAX = '${file:/path}'
const CERT_PATH = 'listen.tls.cert'
const KEY_PATH = 'listen.tls.key'

function tlsProblems (tls: { readonly cert: string; readonly key: string }, unresolvedPaths: ReadonlySet<string>): string[] {
  const problems: string[] = []
  if (!unresolvedPaths.has(CERT_PATH) && !tls.cert.includes(PEM_CERTIFICATE)) {
    problems.push(`${CERT_PATH}: is not a PEM certificate (expected ${REFERENCE_SYNTAX} naming a PEM file)`)
  }
  if (!unresolvedPaths.has(KEY_PATH) && !PEM_PRIVATE_KEY.test(tls.key)) {
    problems.push(`${KEY_PATH}: is not a PEM private key (expected ${REFERENCE_SYNTAX} naming a PEM file)`)
  }
  return problems
}

/**
 * The gateway spends our AWS credentials on behalf of whoever reaches it, so it never listens beyond this machine
 * without clients to authenticate.
 */
export function listenProblems ({ listen, admin, clients }: RawConfig, unresolvedPaths: ReadonlySet<string>): string[] {
  const problems = listen.tls === undefined ? [] : tlsProblems(listen.tls, unresolvedPaths)
  // Port 0 asks the system for a free port each time, so two listeners never collide on it.
  if (listen.port !== 0 && admin.port === listen.port) {
    problems.push(`admin.port: ${admin.port} is also listen.port; health, readiness and metrics need a port of their own`)
  }
  if (!isLoopbackHost(listen.host) && clients.length === 0) {
    problems.push(`listen.host: ${JSON.stringify(listen.host)} is not a loopback address, which needs at least one ` +
      'entry in clients (the gateway is never an open relay)')
  }
  return problems
}
