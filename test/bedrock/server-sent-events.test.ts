import t from 'tap'
import { encodeSseError, MAXIMUM_HELD_EVENT_BYTES, SseEventGate, SseUsageObserver } from '../../src/bedrock/server-sent-events.ts'

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8')

t.test('whole events pass at once; the unfinished one after them is held until it ends', async (t) => {
  const gate = new SseEventGate()
  t.equal(gate.admit(bytes('data: 1\n\ndata: 2\n\ndata: ')).toString(), 'data: 1\n\ndata: 2\n\n')
  t.ok(gate.holdsPartialEvent)
  t.equal(gate.admit(bytes('3\n')).toString(), '')
  t.equal(gate.admit(bytes('\n')).toString(), 'data: 3\n\n')
  t.notOk(gate.holdsPartialEvent)
})

t.test('an event boundary split across chunks, and CRLF line ends, are both found', async (t) => {
  const gate = new SseEventGate()
  t.equal(gate.admit(bytes('data: 1\r\n\r')).toString(), '')
  t.equal(gate.admit(bytes('\n')).toString(), 'data: 1\r\n\r\n')
})

t.test('an event larger than the hold limit is passed through, and no error event can follow it', async (t) => {
  const gate = new SseEventGate()
  const huge = Buffer.alloc(MAXIMUM_HELD_EVENT_BYTES + 1, 0x61)
  t.equal(gate.admit(huge).length, huge.length)
  t.ok(gate.passingThrough)
  t.notOk(gate.canAppendEvent)
})

t.test('OpenAI\'s error event is a data event whose JSON has an error member', async (t) => {
  const text = encodeSseError('openai', 'failed', 'boom').toString()
  t.match(text, /^data: /)
  t.ok(text.endsWith('\n\n'))
  t.same(JSON.parse(text.slice('data: '.length)), { error: { message: 'boom', type: 'server_error', code: 'server_error' } })
})

t.test('Anthropic\'s error event is named error, with its own JSON shape; a shutdown is overloaded_error', async (t) => {
  t.equal(encodeSseError('anthropic', 'failed', 'boom').toString(), 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom"}}\n\n')
  t.match(encodeSseError('anthropic', 'unavailable', 'bye').toString(), '"type":"overloaded_error"')
})

t.test('usage: Chat Completions\' last chunk', async (t) => {
  const observer = new SseUsageObserver()
  observer.observe(bytes('data: {"choices":[]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}\n\ndata: [DONE]\n\n'))
  t.same(observer.usage(), { inputTokens: 7, outputTokens: 3 })
})

t.test('usage: Responses\' response.completed', async (t) => {
  const observer = new SseUsageObserver()
  observer.observe(bytes('event: response.completed\ndata: {"type":"response.completed","response":{"usage":{"input_tokens":5,"output_tokens":9}}}\n\n'))
  t.same(observer.usage(), { inputTokens: 5, outputTokens: 9 })
})

t.test('usage: Anthropic\'s message_start gives the input, message_delta the output', async (t) => {
  const observer = new SseUsageObserver()
  observer.observe(bytes('event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":11,"output_tokens":1}}}\n\n'))
  observer.observe(bytes('event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":20}}\n\n'))
  t.same(observer.usage(), { inputTokens: 11, outputTokens: 20 })
})

t.test('usage: a stream that never states it has none', async (t) => {
  const observer = new SseUsageObserver()
  observer.observe(bytes('data: {"choices":[]}\n\ndata: {"usage": "not an object"}\n\n'))
  t.equal(observer.usage(), undefined)
})
