import { isIP } from 'node:net'
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

const REGION_PLACEHOLDER = '{region}'
/** Any real region works to check the template's shape; this one is only substituted, never called. */
const SAMPLE_REGION = 'us-east-1'
const SECURE_SCHEME = 'https:'
const PLAIN_SCHEME = 'http:'
const ROOT_PATH = '/'

/**
 * The upstream endpoint must be a bare origin: nothing a client sends is ever appended to its host, and the path is
 * always the canonical operation path. Cleartext is accepted only towards this machine (tests and local fakes),
 * because the upstream request carries our signature and the caller's prompt.
 */
export function endpointProblems (where: string, template: string): string[] {
  const expected = `expected an https origin such as https://bedrock-runtime.${REGION_PLACEHOLDER}.amazonaws.com`
  let url: URL
  try {
    url = new URL(template.replaceAll(REGION_PLACEHOLDER, SAMPLE_REGION))
  } catch {
    return [`${where}: ${JSON.stringify(template)} is not a URL (${expected})`]
  }
  const problems: string[] = []
  const secure = url.protocol === SECURE_SCHEME
  if (!secure && !(url.protocol === PLAIN_SCHEME && isLoopbackHost(url.hostname))) {
    problems.push(`${where}: ${JSON.stringify(template)} is not https (${expected}; http only to a loopback host)`)
  }
  if (url.username !== '' || url.password !== '' || url.pathname !== ROOT_PATH || url.search !== '' || url.hash !== '') {
    problems.push(`${where}: ${JSON.stringify(template)} has more than an origin (${expected}, with no path, query or credentials)`)
  }
  return problems
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]'])
const IPV4_LOOPBACK_NET = '127.'

/** Whether a listen or upstream host can only be reached from this machine. */
export function isLoopbackHost (host: string): boolean {
  const name = host.toLowerCase()
  if (LOOPBACK_NAMES.has(name)) return true
  return isIP(name) === 4 && name.startsWith(IPV4_LOOPBACK_NET)
}
