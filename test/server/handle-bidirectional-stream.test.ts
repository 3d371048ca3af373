import t from 'tap'
import { isBidirectionalStreamTarget } from '../../src/server/handle-bidirectional-stream.ts'

const CASES: ReadonlyArray<readonly [method: string | undefined, url: string | undefined, expected: boolean]> = [
  ['POST', '/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream', true],
  ['POST', '/us-east-1/model/amazon.nova-sonic-v1:0/invoke-with-bidirectional-stream', true],
  ['POST', '/model/amazon.nova-sonic-v1:0/invoke-with-bidirectional-stream?x=1', true],
  ['GET', '/model/amazon.nova-sonic-v1:0/invoke-with-bidirectional-stream', false],
  ['POST', '/model/amazon.nova-sonic-v1:0/invoke-with-response-stream', false],
  ['POST', '/model/amazon.nova-sonic-v1:0/invoke-with-bidirectional-stream/', false],
  ['POST', '/x?next=/invoke-with-bidirectional-stream', false],
  [undefined, undefined, false]
]

for (const [method, url, expected] of CASES) {
  t.test(`${method ?? '(no method)'} ${url ?? '(no url)'} ${expected ? 'goes to' : 'does not go to'} the stream handler`, async (t) => {
    t.equal(isBidirectionalStreamTarget(method, url), expected)
  })
}
