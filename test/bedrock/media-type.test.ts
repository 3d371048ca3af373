import t from 'tap'
import { mediaTypeOf } from '../../src/bedrock/media-type.ts'

t.test('the media type is the part before any parameter, trimmed and lower-cased', async (t) => {
  t.equal(mediaTypeOf('application/json'), 'application/json')
  t.equal(mediaTypeOf('Application/JSON; charset=utf-8'), 'application/json')
  t.equal(mediaTypeOf(' application/vnd.amazon.eventstream ;x=1'), 'application/vnd.amazon.eventstream')
})

t.test('an empty content type or one with only parameters has an empty media type', async (t) => {
  t.equal(mediaTypeOf(''), '')
  t.equal(mediaTypeOf('; charset=utf-8'), '')
})
