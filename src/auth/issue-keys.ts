import { randomBytes, randomInt } from 'node:crypto'
import { bearerKeySha256 } from './bearer.ts'

/** Marks keys this gateway issued, so nobody mistakes one for an AWS access key (those start with AKIA/ASIA). */
const ACCESS_KEY_ID_PREFIX = 'GEOFENCE'
const ACCESS_KEY_ID_RANDOM_LENGTH = 12
const ACCESS_KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
// 30 random bytes are 40 base64url characters: the length of an AWS secret access key, 240 bits of entropy.
const SECRET_RANDOM_BYTES = 30
/** Marks bearer keys this gateway issued, so a leaked one is recognisable in logs and secret scanners. */
const BEARER_KEY_PREFIX = 'bgf_'
const BEARER_RANDOM_BYTES = 32

/** A SigV4 key pair for a client: the gateway keeps the secret by reference, the client signs with both. */
export interface IssuedSigV4Key {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

/** A bearer key for a client; the gateway keeps only its sha256. */
export interface IssuedBearerKey {
  readonly apiKey: string
  readonly apiKeySha256: string
}

function randomAccessKeyId (): string {
  let id = ACCESS_KEY_ID_PREFIX
  for (let i = 0; i < ACCESS_KEY_ID_RANDOM_LENGTH; i++) id += ACCESS_KEY_ID_ALPHABET[randomInt(ACCESS_KEY_ID_ALPHABET.length)]
  return id
}

export function issueSigV4Key (): IssuedSigV4Key {
  return { accessKeyId: randomAccessKeyId(), secretAccessKey: randomBytes(SECRET_RANDOM_BYTES).toString('base64url') }
}

export function issueBearerKey (): IssuedBearerKey {
  const apiKey = `${BEARER_KEY_PREFIX}${randomBytes(BEARER_RANDOM_BYTES).toString('base64url')}`
  return { apiKey, apiKeySha256: bearerKeySha256(apiKey) }
}
