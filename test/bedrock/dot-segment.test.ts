import t from 'tap'
import { holdsDotSegment, isDotSegment } from '../../src/bedrock/dot-segment.ts'

t.test('empty, . and .. are dot segments', async (t) => {
  for (const segment of ['', '.', '..']) t.ok(isDotSegment(segment), JSON.stringify(segment))
})

t.test('anything else is not, dots inside a segment included', async (t) => {
  for (const segment of ['...', '.a', 'a.', 'us.anthropic.claude-v2:0', '%2E', ' ']) t.notOk(isDotSegment(segment), JSON.stringify(segment))
})

t.test('a list of segments holds a dot segment when any of them is one', async (t) => {
  t.ok(holdsDotSegment(['model', '..', 'invoke']))
  t.ok(holdsDotSegment(['model', 'x', '']))
  t.notOk(holdsDotSegment(['model', 'us.x.y', 'invoke']))
  t.notOk(holdsDotSegment([]))
})
