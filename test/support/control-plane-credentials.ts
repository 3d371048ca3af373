import type { Test } from 'tap'
import { FAKE_UPSTREAM_CREDENTIALS } from './fake-bedrock/index.ts'

/** Every variable that could lead the default Node credential chain anywhere but the environment's keys. */
const OTHER_CREDENTIAL_SOURCES = [
  'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'
]

/**
 * For the test's duration, the gateway's default credential chain finds the fake control plane's accepted keys in
 * the environment (as an operator's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and can reach no other source: no
 * shared files, no instance metadata.
 */
export function useFakeGatewayCredentials (t: Test): void {
  const saved = { ...process.env }
  for (const name of OTHER_CREDENTIAL_SOURCES) delete process.env[name]
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: FAKE_UPSTREAM_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_UPSTREAM_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: '/nonexistent/aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
    AWS_EC2_METADATA_DISABLED: 'true'
  })
  t.teardown(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name]
    Object.assign(process.env, saved)
  })
}
