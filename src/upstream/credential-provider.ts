import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import type { AwsCredentialsConfig } from '../config/index.ts'

/**
 * Where the gateway's own AWS credentials come from: the default Node chain (environment, shared profile, web
 * identity / IRSA, ECS and EC2 metadata), and, with `aws.roleArn`, the role assumed with those. Caching and refresh
 * are the credential source's job; this provider is called only when it decides to.
 */
export function defaultCredentialProvider (config: AwsCredentialsConfig): AwsCredentialIdentityProvider {
  const chain = fromNodeProviderChain()
  if (config.roleArn === undefined) return chain
  return fromTemporaryCredentials({
    masterCredentials: chain,
    params: {
      RoleArn: config.roleArn,
      RoleSessionName: config.sessionName,
      ExternalId: config.externalId
    }
  })
}
