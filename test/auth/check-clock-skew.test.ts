import t from 'tap'
import { checkClockSkew } from '../../src/auth/check-clock-skew.ts'
import { BedrockError } from '../../src/core/errors.ts'

const NOW = new Date('2015-08-30T12:36:00Z')

t.test('a signature exactly at the edge of the skew is accepted, either way', async (t) => {
  t.doesNotThrow(() => checkClockSkew('20150830T123100Z', Date.UTC(2015, 7, 30, 12, 31), NOW, 300))
  t.doesNotThrow(() => checkClockSkew('20150830T124100Z', Date.UTC(2015, 7, 30, 12, 41), NOW, 300))
})

t.test('an older signature has expired, in AWS words', async (t) => {
  t.throws(() => checkClockSkew('20150830T123059Z', Date.UTC(2015, 7, 30, 12, 30, 59), NOW, 300),
    new BedrockError('InvalidSignatureException',
      'Signature expired: 20150830T123059Z is now earlier than 20150830T123100Z (20150830T123600Z - 5 min.)'))
})

t.test('a signature from the future is not yet current, in AWS words', async (t) => {
  t.throws(() => checkClockSkew('20150830T124101Z', Date.UTC(2015, 7, 30, 12, 41, 1), NOW, 300),
    new BedrockError('InvalidSignatureException',
      'Signature not yet current: 20150830T124101Z is still later than 20150830T124100Z (20150830T123600Z + 5 min.)'))
})

t.test('a skew configured in odd seconds is reported in seconds', async (t) => {
  t.throws(() => checkClockSkew('20150830T123500Z', Date.UTC(2015, 7, 30, 12, 35), NOW, 45),
    { message: 'Signature expired: 20150830T123500Z is now earlier than 20150830T123515Z (20150830T123600Z - 45 sec.)' })
})
