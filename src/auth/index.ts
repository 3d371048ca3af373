/** Who is calling: SigV4 verification and bearer keys, against the configured clients. */

export { authenticate } from './authenticate.ts'
export { bearerKeySha256 } from './bearer.ts'
export { indexClients } from './client-index.ts'
export { parseAuthorization } from './parse-authorization.ts'
export type { AuthenticateInput, ClientKeyIndex } from './types.ts'
