import t from 'tap'
import { canonicalQuery } from '../../src/auth/canonical-query.ts'

t.test('parameters are sorted by key', async (t) => {
  t.equal(canonicalQuery('b=2&a=1'), 'a=1&b=2')
})

t.test('repeated keys are sorted by value', async (t) => {
  t.equal(canonicalQuery('a=2&a=1'), 'a=1&a=2')
})

t.test('sorting is by byte: upper case before lower case', async (t) => {
  t.equal(canonicalQuery('a=1&B=2'), 'B=2&a=1')
})

t.test('a key without = gets an empty value', async (t) => {
  t.equal(canonicalQuery('Param1'), 'Param1=')
})

t.test('an empty query is empty', async (t) => {
  t.equal(canonicalQuery(''), '')
})

t.test('empty pieces carry no parameter', async (t) => {
  t.equal(canonicalQuery('a=1&&b=2&'), 'a=1&b=2')
})

t.test('lower-case escapes are normalised to upper case', async (t) => {
  t.equal(canonicalQuery('%e1%88%b4=bar'), '%E1%88%B4=bar')
})

t.test('raw received bytes sign like their escapes', async (t) => {
  t.equal(canonicalQuery('\xe1\x88\xb4=bar'), '%E1%88%B4=bar')
})

t.test('reserved characters are encoded, + included (it is not a space in SigV4)', async (t) => {
  t.equal(canonicalQuery('k=a b+c/d'), 'k=a%20b%2Bc%2Fd')
})

t.test('escaped unreserved characters are decoded', async (t) => {
  t.equal(canonicalQuery('k=%41%7E'), 'k=A~')
})

t.test('a % that starts no valid escape is itself encoded', async (t) => {
  t.equal(canonicalQuery('k=%zz'), 'k=%25zz')
})

t.test('parameters whose decoded key the caller omits are left out', async (t) => {
  t.equal(canonicalQuery('b=2&X%2DAmz-Signature=00&a=1', (key) => key.toLowerCase().startsWith('x-amz-')), 'a=1&b=2')
})
