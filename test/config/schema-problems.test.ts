import t from 'tap'
import { closestMatch } from '../../src/config/schema-problems.ts'
import { AWS_REGIONS } from '../../src/config/aws-regions.ts'

t.test('an extra character finds the region', async (t) => {
  t.equal(closestMatch('eu-west-22', AWS_REGIONS), 'eu-west-2')
})

t.test('two swapped neighbours count as one typo', async (t) => {
  t.equal(closestMatch('us-esat-1', AWS_REGIONS), 'us-east-1')
})

t.test('case is ignored when comparing', async (t) => {
  t.equal(closestMatch('US-WEST-2', AWS_REGIONS), 'us-west-2')
})

t.test('nothing close gives no suggestion', async (t) => {
  t.equal(closestMatch('mars-north-1', AWS_REGIONS), undefined)
})

t.test('short values need a close match, not just any two edits', async (t) => {
  t.equal(closestMatch('xx', ['us', 'eu']), undefined)
  t.equal(closestMatch('uss', ['us', 'eu']), 'us')
})
