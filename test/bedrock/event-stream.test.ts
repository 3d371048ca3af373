import t from 'tap'
import fc from 'fast-check'
import { EventStreamFrameTracker, INTERNAL_SERVER_EXCEPTION_EVENT, encodeExceptionFrame } from '../../src/bedrock/event-stream.ts'
import { decodeFrames, eventFrame } from '../support/fake-bedrock/index.ts'

function chunksOf (bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let start = 0
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point))
    start = point
  }
  return chunks
}

const frames = [
  eventFrame('messageStart', { role: 'assistant' }),
  eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello' } }),
  eventFrame('messageStop', { stopReason: 'end_turn' })
]
const threeFrames = Buffer.concat(frames)

t.test('an exception frame decodes as an internalServerException event carrying the message', async (t) => {
  const [frame, ...rest] = decodeFrames(encodeExceptionFrame(INTERNAL_SERVER_EXCEPTION_EVENT, 'upstream went away'))
  t.same(rest, [])
  t.same(frame, {
    headers: {
      ':message-type': 'exception',
      ':exception-type': 'internalServerException',
      ':content-type': 'application/json'
    },
    payload: { message: 'upstream went away' }
  })
})

t.test('the tracker is at a frame boundary after whole frames, however the bytes were chunked', async (t) => {
  t.doesNotThrow(() => fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
    const tracker = new EventStreamFrameTracker()
    for (const chunk of chunksOf(threeFrames, cuts)) tracker.track(chunk)
    return tracker.atFrameBoundary && tracker.completeFrames === 3
  })))
})

t.test('the tracker is mid-frame whenever a frame is only partly through, including inside its length field', async (t) => {
  const frameEnds = new Set<number>([0])
  let end = 0
  for (const frame of frames) frameEnds.add(end += frame.length)
  for (let cut = 1; cut < threeFrames.length; cut++) {
    const tracker = new EventStreamFrameTracker()
    tracker.track(threeFrames.subarray(0, cut))
    if (tracker.atFrameBoundary !== frameEnds.has(cut)) {
      t.fail(`after ${cut} bytes the tracker says atFrameBoundary=${tracker.atFrameBoundary}`)
      return
    }
  }
  t.pass('every cut point agrees with the real frame ends')
})

t.test('a length no frame can have marks the stream corrupt, never at a boundary again', async (t) => {
  const tracker = new EventStreamFrameTracker()
  tracker.track(Buffer.from('{"message":"this is JSON, not frames"}'))
  t.equal(tracker.corrupt, true)
  t.equal(tracker.atFrameBoundary, false)
  tracker.track(eventFrame('messageStop', {}))
  t.equal(tracker.atFrameBoundary, false)
})

t.test('a tracker that keeps frames hands back the last complete one, however the bytes were chunked', async (t) => {
  t.doesNotThrow(() => fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
    const tracker = new EventStreamFrameTracker(1024)
    for (const chunk of chunksOf(threeFrames, cuts)) tracker.track(chunk)
    return Buffer.from(tracker.lastFrame() ?? []).equals(frames[2] as Buffer)
  })))
})

t.test('a tracker keeps no frame longer than it was told, nor any by default, nor a frame still in progress', async (t) => {
  const small = new EventStreamFrameTracker((frames[0] as Buffer).length)
  small.track(threeFrames)
  t.equal(small.lastFrame(), undefined, 'the last frame is longer than the limit')
  const byDefault = new EventStreamFrameTracker()
  byDefault.track(threeFrames)
  t.equal(byDefault.lastFrame(), undefined)
  const partway = new EventStreamFrameTracker(1024)
  partway.track(threeFrames.subarray(0, threeFrames.length - 1))
  t.same(Buffer.from(partway.lastFrame() ?? []), frames[1], 'the frame before the unfinished one')
})

t.test('a corrupt stream has no last frame', async (t) => {
  const tracker = new EventStreamFrameTracker(1024)
  tracker.track(threeFrames)
  tracker.track(Buffer.from('{"message":"this is JSON, not frames"}'))
  t.equal(tracker.lastFrame(), undefined)
})
