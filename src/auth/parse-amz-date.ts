import { BedrockError } from '../bedrock/errors.ts'
import { AMZ_DATE_PATTERN } from './constants.ts'
import { invalidAmzDate } from './messages.ts'

/**
 * Milliseconds since the epoch of an x-amz-date (`20150830T123600Z`). Only the ISO 8601 basic format SigV4 defines
 * is accepted, and only real calendar times: `20150230T000000Z` would silently roll over to March in Date.UTC.
 */
export function parseAmzDate (value: string): number {
  const match = AMZ_DATE_PATTERN.exec(value)
  if (match !== null) {
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as
      [number, number, number, number, number, number]
    const time = Date.UTC(year, month - 1, day, hour, minute, second)
    const back = new Date(time)
    if (back.getUTCMonth() === month - 1 && back.getUTCDate() === day && back.getUTCHours() === hour &&
      back.getUTCMinutes() === minute && back.getUTCSeconds() === second) return time
  }
  throw new BedrockError('IncompleteSignatureException', invalidAmzDate(value))
}
