import { isLoopbackHost } from './loopback.ts'

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
