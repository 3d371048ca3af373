/** Who is calling: SigV4 verification and bearer keys, against the configured clients. */

export { authenticate, completeAuthentication, screenAuthentication } from './authenticate.ts'
export { bearerKeySha256 } from './bearer.ts'
export { EventChainVerifier } from './event-chain-verifier.ts'
export type { EventChainVerification } from './event-chain-verifier.ts'
export { indexClients } from './client-index.ts'
export { issueBearerKey, issueSigV4Key } from './issue-keys.ts'
export type { IssuedBearerKey, IssuedSigV4Key } from './issue-keys.ts'
export { parseAuthorization } from './parse-authorization.ts'
export type { Authenticated, AuthenticateInput, ClientKeyIndex, ReceivedRequest, ScreenedAuthentication } from './types.ts'
