/** A set of AWS credentials the fake accepts signatures from. */
export interface UpstreamCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** When set, requests must carry exactly this `x-amz-security-token`. */
  readonly sessionToken?: string
  /** When set and past, requests signed with these credentials get ExpiredTokenException. */
  readonly expiration?: Date
}

/** Finds the credentials for an access key id, or undefined when the key is unknown. */
export type CredentialLookup = (accessKeyId: string) => UpstreamCredentials | undefined

/** One set, several sets, or a lookup (for rotating credentials, e.g. the fake credentials endpoint's `lookup`). */
export type AcceptedCredentials = UpstreamCredentials | readonly UpstreamCredentials[] | CredentialLookup

export function toCredentialLookup (accepted: AcceptedCredentials): CredentialLookup {
  if (typeof accepted === 'function') return accepted
  const list: readonly UpstreamCredentials[] = Array.isArray(accepted) ? accepted : [accepted as UpstreamCredentials]
  return accessKeyId => list.find(credentials => credentials.accessKeyId === accessKeyId)
}
