import t from 'tap'
import { parseAmzDate } from '../../src/auth/parse-amz-date.ts'
import { BedrockError } from '../../src/core/errors.ts'

t.test('an ISO 8601 basic-format date is read as UTC', async (t) => {
  t.equal(parseAmzDate('20150830T123600Z'), Date.UTC(2015, 7, 30, 12, 36, 0))
})

t.test('the extended format is refused in AWS words', async (t) => {
  t.throws(() => parseAmzDate('2015-08-30T12:36:00Z'), new BedrockError('IncompleteSignatureException',
    "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"))
})

t.test('a date that does not exist is refused instead of rolling over', async (t) => {
  t.throws(() => parseAmzDate('20150230T000000Z'), { name: 'IncompleteSignatureException' })
})

t.test('hour 24 is refused', async (t) => {
  t.throws(() => parseAmzDate('20150830T240000Z'), { name: 'IncompleteSignatureException' })
})

t.test('a date without the Z is refused', async (t) => {
  t.throws(() => parseAmzDate('20150830T123600'), { name: 'IncompleteSignatureException' })
})

t.test('29 February exists in leap years only', async (t) => {
  t.equal(parseAmzDate('20240229T000000Z'), Date.UTC(2024, 1, 29))
  t.throws(() => parseAmzDate('21000229T000000Z'), { name: 'IncompleteSignatureException' })
})

t.test('month 13 and day 0 are refused', async (t) => {
  t.throws(() => parseAmzDate('20151301T000000Z'), { name: 'IncompleteSignatureException' })
  t.throws(() => parseAmzDate('20150800T000000Z'), { name: 'IncompleteSignatureException' })
})
