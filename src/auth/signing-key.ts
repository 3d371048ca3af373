import { createHmac } from 'node:crypto'
import { SCOPE_TERMINATOR, SHA256, SIGNING_KEY_SECRET_PREFIX } from './constants.ts'

/** SigV4's key derivation: HMAC chain over date, region, service and the terminator, seeded with `AWS4` + secret. */
export function deriveSigningKey (secret: string, date: string, region: string, service: string): Buffer {
  const dateKey = createHmac(SHA256, SIGNING_KEY_SECRET_PREFIX + secret).update(date).digest()
  const regionKey = createHmac(SHA256, dateKey).update(region).digest()
  const serviceKey = createHmac(SHA256, regionKey).update(service).digest()
  return createHmac(SHA256, serviceKey).update(SCOPE_TERMINATOR).digest()
}
