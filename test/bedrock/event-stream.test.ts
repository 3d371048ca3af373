import t from 'tap'
import fc from 'fast-check'
import { EventStreamFrameGate, EventStreamFrameTracker, INTERNAL_SERVER_EXCEPTION_EVENT, encodeExceptionFrame } from '../../src/bedrock/event-stream.ts'
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

t.test('the tracker hands back the last frame completed so far, whatever cut the bytes stop at, length field included', async (t) => {
  let end = 0
  const frameEnds = frames.map((frame) => (end += frame.length))
  for (let cut = 1; cut <= threeFrames.length; cut++) {
    const tracker = new EventStreamFrameTracker(1024)
    tracker.track(threeFrames.subarray(0, cut))
    const completed = frameEnds.filter((frameEnd) => frameEnd <= cut).length
    const expected = completed === 0 ? undefined : frames[completed - 1]
    const last = tracker.lastFrame()
    if ((last === undefined) !== (expected === undefined) || (expected !== undefined && !Buffer.from(last ?? []).equals(expected))) {
      t.fail(`after ${cut} bytes the tracker's last frame is not frame ${completed}`)
      return
    }
  }
  t.pass('every cut point agrees with the real frame ends')
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
  tracker.track(eventFrame('messageStop', {}))
  t.equal(tracker.lastFrame(), undefined, 'nor a whole frame after the corruption')
})

t.test('the gate lets through exactly the whole frames, however the bytes were chunked, and holds a cut one back', async (t) => {
  t.doesNotThrow(() => fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), fc.nat(), (cuts, cutShort) => {
    const sent = threeFrames.subarray(0, cutShort % (threeFrames.length + 1))
    const gate = new EventStreamFrameGate()
    const passed = Buffer.concat(chunksOf(sent, cuts).map((chunk) => gate.admit(chunk)))
    let wholeFramesLength = 0
    for (const frame of frames) if (wholeFramesLength + frame.length <= sent.length) wholeFramesLength += frame.length; else break
    return passed.equals(sent.subarray(0, wholeFramesLength)) && gate.holdsPartialFrame === (passed.length < sent.length) && !gate.corrupt
  })))
})

t.test('the gate stops at a frame with a bad CRC or an impossible length, and lets nothing through after it', async (t) => {
  const badCrc = Buffer.from(frames[1] as Buffer)
  badCrc[badCrc.length - 1] = (badCrc[badCrc.length - 1] as number) ^ 1
  const notFrames = Buffer.from('{"message":"this is JSON, not frames"}')
  for (const broken of [badCrc, notFrames]) {
    const gate = new EventStreamFrameGate()
    t.same(gate.admit(Buffer.concat([frames[0] as Buffer, broken])), frames[0], 'the good frame before it passes')
    t.equal(gate.corrupt, true)
    t.equal(gate.admit(frames[2] as Buffer).length, 0, 'a good frame after it does not')
  }
})
