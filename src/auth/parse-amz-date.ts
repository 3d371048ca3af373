import { BedrockError } from '../core/errors.ts'
import { AMZ_DATE_PATTERN } from './constants.ts'
import { invalidAmzDate } from './messages.ts'

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const FEBRUARY = 2
const HOURS_PER_DAY = 24
const MINUTES_PER_HOUR = 60
const SECONDS_PER_MINUTE = 60

/**
 * Milliseconds since the epoch of an x-amz-date (`20150830T123600Z`). Only the ISO 8601 basic format SigV4 defines
 * is accepted, and only real calendar times: `20150230T000000Z` would silently roll over to March in Date.UTC.
 */
export function parseAmzDate (value: string): number {
  const match = AMZ_DATE_PATTERN.exec(value)
  if (match !== null) {
    const year = Number(match[1])
    const month = Number(match[2])
    const day = Number(match[3])
    const hour = Number(match[4])
    const minute = Number(match[5])
    const second = Number(match[6])
    if (month >= 1 && month <= DAYS_IN_MONTH.length && day >= 1 && day <= daysIn(year, month) &&
      hour < HOURS_PER_DAY && minute < MINUTES_PER_HOUR && second < SECONDS_PER_MINUTE) {
      return Date.UTC(year, month - 1, day, hour, minute, second)
    }
  }
  throw new BedrockError('IncompleteSignatureException', invalidAmzDate(value))
}

function daysIn (year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === FEBRUARY && leap ? 29 : DAYS_IN_MONTH[month - 1] as number
}
