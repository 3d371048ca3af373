import { BedrockError } from '../core/errors.ts'
import { MS_PER_SECOND } from './constants.ts'
import { formatAmzDate } from './format-amz-date.ts'
import { signatureExpired, signatureNotYetCurrent, skewText } from './messages.ts'

/**
 * Refuses a signature dated further than the allowed skew from now, either way, with AWS's own wording. This is
 * what bounds how long a captured request can be replayed.
 */
export function checkClockSkew (amzDate: string, signedAtMs: number, now: Date, skewSeconds: number): void {
  const nowMs = now.getTime()
  const skewMs = skewSeconds * MS_PER_SECOND
  if (signedAtMs < nowMs - skewMs) {
    throw new BedrockError('InvalidSignatureException', signatureExpired(
      amzDate, formatAmzDate(nowMs - skewMs), formatAmzDate(nowMs), skewText(skewSeconds)))
  }
  if (signedAtMs > nowMs + skewMs) {
    throw new BedrockError('InvalidSignatureException', signatureNotYetCurrent(
      amzDate, formatAmzDate(nowMs + skewMs), formatAmzDate(nowMs), skewText(skewSeconds)))
  }
}
