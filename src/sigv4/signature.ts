import { createHash, createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto'
import {
  AUTHORIZATION_ALGORITHM_END,
  AUTHORIZATION_PARAMETER_DELIMITER,
  BYTE_STRING_ENCODING,
  CREDENTIAL_PARAMETER,
  HEX,
  AUTHORIZATION_PARAMETER_VALUE_SEPARATOR,
  LINE_BREAK,
  CREDENTIAL_SCOPE_SEPARATOR,
  SCOPE_TERMINATOR,
  SHA256,
  SIGNATURE_PARAMETER,
  SIGNED_HEADERS_PARAMETER,
  SIGNING_KEY_SECRET_PREFIX,
  SIGV4_ALGORITHM
} from './constants.ts'

export interface SigningKeyCache {
  /** The day's signing key for this secret, region and service, derived at most once while it stays cached. */
  get (secret: string, date: string, region: string, service: string): KeyObject
}

/** `20150830/us-east-1/service/aws4_request`: what a signature is valid for, repeated in the string to sign. */
export function credentialScope (date: string, region: string, service: string): string {
  return date + CREDENTIAL_SCOPE_SEPARATOR + region + CREDENTIAL_SCOPE_SEPARATOR + service + CREDENTIAL_SCOPE_SEPARATOR + SCOPE_TERMINATOR
}

/** SigV4's key derivation: HMAC chain over date, region, service and the terminator, seeded with `AWS4` + secret. */
export function deriveSigningKey (secret: string, date: string, region: string, service: string): Buffer {
  const dateKey = createHmac(SHA256, SIGNING_KEY_SECRET_PREFIX + secret).update(date).digest()
  const regionKey = createHmac(SHA256, dateKey).update(region).digest()
  const serviceKey = createHmac(SHA256, regionKey).update(service).digest()
  return createHmac(SHA256, serviceKey).update(SCOPE_TERMINATOR).digest()
}

/** Cannot occur in a date, region or service name, which are all checked before a key is asked for. */
const KEY_PART_SEPARATOR = '\u0000'

/**
 * Signing keys cost four HMACs to derive and stay valid a whole day per region, so each is derived once and kept,
 * as a KeyObject: createHmac() starts faster from one than from a Buffer.
 * Bounded: when full, the least recently used key is dropped (a Map iterates in insertion order, and a hit is
 * re-inserted at the end).
 */
export function createSigningKeyCache (maxEntries: number): SigningKeyCache {
  const keys = new Map<string, KeyObject>()
  // The upstream signer asks for one key over and over; leaving the newest entry where it is spares the Map the
  // delete and re-insert, whose tombstones make it rebuild its table every few hundred hits.
  let newest = ''
  return {
    get (secret, date, region, service) {
      const cacheKey = secret + KEY_PART_SEPARATOR + date + KEY_PART_SEPARATOR + region + KEY_PART_SEPARATOR + service
      const cached = keys.get(cacheKey)
      if (cached !== undefined) {
        if (cacheKey !== newest) {
          keys.delete(cacheKey)
          keys.set(cacheKey, cached)
          newest = cacheKey
        }
        return cached
      }
      const derived = createSecretKey(deriveSigningKey(secret, date, region, service))
      if (keys.size >= maxEntries) keys.delete(keys.keys().next().value as string)
      keys.set(cacheKey, derived)
      newest = cacheKey
      return derived
    }
  }
}

/**
 * SigV4's string to sign. The canonical request is hashed as byte string: received header values arrive one char
 * per byte, so this reproduces exactly the UTF-8 (or other) bytes the client signed, and undici writes the headers
 * the gateway sends the same way, so it also hashes what goes on the wire.
 */
export function stringToSign (amzDate: string, credentialScope: string, canonicalRequest: string): string {
  return SIGV4_ALGORITHM + LINE_BREAK +
    amzDate + LINE_BREAK +
    credentialScope + LINE_BREAK +
    createHash(SHA256).update(canonicalRequest, BYTE_STRING_ENCODING).digest(HEX)
}

/** The signature: the string to sign's HMAC under the day's signing key, in lower-case hex. */
export function computeSignature (signingKey: KeyObject, stringToSign: string): string {
  return createHmac(SHA256, signingKey).update(stringToSign).digest(HEX)
}

/** The hex sha256 of some bytes, as SigV4's payload hash. The one-shot hash costs half of createHash's time and garbage. */
export function sha256Hex (bytes: Uint8Array): string {
  return hash(SHA256, bytes, HEX)
}

/**
 * The Authorization header, in the exact layout botocore and the AWS SDKs write, so a request the gateway signs
 * cannot be told from one an SDK signed: `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
 */
export function formatAuthorization (accessKeyId: string, credentialScope: string, signedHeaders: string, signature: string): string {
  return SIGV4_ALGORITHM + AUTHORIZATION_ALGORITHM_END +
    CREDENTIAL_PARAMETER + AUTHORIZATION_PARAMETER_VALUE_SEPARATOR + accessKeyId + CREDENTIAL_SCOPE_SEPARATOR + credentialScope + AUTHORIZATION_PARAMETER_DELIMITER +
    SIGNED_HEADERS_PARAMETER + AUTHORIZATION_PARAMETER_VALUE_SEPARATOR + signedHeaders + AUTHORIZATION_PARAMETER_DELIMITER +
    SIGNATURE_PARAMETER + AUTHORIZATION_PARAMETER_VALUE_SEPARATOR + signature
}
