import t from 'tap'
import { formatAmzDate } from '../../src/auth/format-amz-date.ts'

t.test('an instant is written in basic format with whole seconds', async (t) => {
  t.equal(formatAmzDate(Date.UTC(2015, 7, 30, 12, 36, 0, 999)), '20150830T123600Z')
})
