import t from 'tap'
import { createAmzDateClock, formatAmzDate } from '../../src/sigv4/amz-date.ts'

t.test('an instant is written in basic format with whole seconds', async (t) => {
  t.equal(formatAmzDate(Date.UTC(2015, 7, 30, 12, 36, 0, 999)), '20150830T123600Z')
})

t.test('the current instant in basic format, whole seconds', async (t) => {
  const clock = createAmzDateClock(() => Date.UTC(2026, 10, 27, 10, 15, 0, 999))
  t.equal(clock(), '20261127T101500Z')
})

t.test('the next second reads as the next second, not the one formatted before', async (t) => {
  let now = Date.UTC(2026, 10, 27, 23, 59, 59, 999)
  const clock = createAmzDateClock(() => now)
  t.equal(clock(), '20261127T235959Z')
  now += 1
  t.equal(clock(), '20261128T000000Z')
})

t.test('a clock set back reads as the earlier second', async (t) => {
  let now = Date.UTC(2026, 10, 27, 10, 15, 1)
  const clock = createAmzDateClock(() => now)
  t.equal(clock(), '20261127T101501Z')
  now -= 1
  t.equal(clock(), '20261127T101500Z')
})
