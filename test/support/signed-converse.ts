import type { SignedRequest } from './fake-bedrock/index.ts'
import { SIGV4_CLIENT } from './gateway-harness.ts'

/** The label of a foundation model every test allowlist allows, percent-encoded as clients send it. */
export const CLAUDE_PATH_LABEL = 'anthropic.claude-3-haiku-20240307-v1%3A0'

/** An allowed Converse or ConverseStream call in us-east-1 from the harness's SigV4 client. */
export function signedConverse (operation: 'converse' | 'converse-stream' = 'converse'): SignedRequest {
  return {
    method: 'POST',
    path: `/model/${CLAUDE_PATH_LABEL}/${operation}`,
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] })
  }
}
