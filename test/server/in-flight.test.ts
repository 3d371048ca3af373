import t from 'tap'
import { CallerLeftError, InFlightRequests } from '../../src/server/in-flight.ts'
import { LoadShedError } from '../../src/server/load-shed.ts'

t.test('counts requests and, among them, streams until each is done; done twice counts once', async (t) => {
  const inFlight = new InFlightRequests()
  const plain = inFlight.start(false)
  const stream = inFlight.start(true)
  t.same({ size: inFlight.size, streams: inFlight.streams }, { size: 2, streams: 1 })
  stream.done()
  stream.done()
  t.same({ size: inFlight.size, streams: inFlight.streams }, { size: 1, streams: 0 })
  plain.done()
  t.equal(inFlight.size, 0)
})

t.test('bidirectional streams are counted apart: requests in flight, but not streams', async (t) => {
  const inFlight = new InFlightRequests()
  const bidirectional = inFlight.startBidirectional()
  inFlight.start(true)
  t.same({ size: inFlight.size, streams: inFlight.streams, bidirectionalStreams: inFlight.bidirectionalStreams }, { size: 2, streams: 1, bidirectionalStreams: 1 })
  bidirectional.done()
  bidirectional.done()
  t.same({ size: inFlight.size, bidirectionalStreams: inFlight.bidirectionalStreams }, { size: 1, bidirectionalStreams: 0 })
})

t.test('idle() resolves at once when nothing runs, else when the last request is done', async (t) => {
  const inFlight = new InFlightRequests()
  await inFlight.idle()
  const request = inFlight.start(true)
  let idle = false
  const waiting = inFlight.idle().then(() => { idle = true })
  await Promise.resolve()
  t.equal(idle, false)
  request.done()
  await waiting
  t.equal(idle, true)
})

t.test('shutdownAll() tells every running request, with a 503 the handler can answer with', async (t) => {
  const inFlight = new InFlightRequests()
  const running = [inFlight.start(true), inFlight.start(false)]
  const finished = inFlight.start(false)
  finished.done()
  inFlight.shutdownAll()
  for (const request of running) {
    t.equal(request.signal.aborted, true)
    t.ok(request.signal.reason instanceof LoadShedError)
    t.match(request.signal.reason, { type: 'ServiceUnavailableException', status: 503, shedCause: 'grace_period_over' })
  }
  t.equal(finished.signal.aborted, false, 'a request already done is left alone')
})

t.test('callerLeft() aborts the request\'s signal with a CallerLeftError, not a shutdown', async (t) => {
  const inFlight = new InFlightRequests()
  const request = inFlight.start(false)
  request.callerLeft()
  t.equal(request.signal.aborted, true)
  t.ok(request.signal.reason instanceof CallerLeftError)
})
