import t from 'tap'
import fc from 'fast-check'
import { Counter, Histogram, Registry } from 'prom-client'
import { IndexedCounter, IndexedHistogram } from '../../src/server/indexed-metrics.ts'

const LABEL_NAMES = ['operation', 'status'] as const
const BUCKETS = [0.005, 0.1, 1, 30]
const LABEL_VALUES = ['Converse', 'ConverseStream', 'a "quoted" \\ value\nwith a line break']
const STATUSES = ['200', '429', 'none']

/** What a request would record: one label pair and an amount (bytes for the counter, seconds for the histogram). */
const observation = fc.record({
  operation: fc.constantFrom(...LABEL_VALUES),
  status: fc.constantFrom(...STATUSES),
  amount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 120, noNaN: true }))
})

/** Scrapes after each batch, so that state carried from one scrape to the next is checked too. */
const batches = fc.array(fc.array(observation, { maxLength: 30 }), { minLength: 1, maxLength: 4 })

function registries (): { ours: Registry, theirs: Registry } {
  return { ours: new Registry(), theirs: new Registry() }
}

t.test('an indexed counter exports exactly what prom-client\'s own counter exports for the same additions, scrape after scrape', async (t) => {
  await t.resolves(fc.assert(fc.asyncProperty(batches, async (recorded) => {
    const { ours, theirs } = registries()
    const config = { name: 'bytes_total', help: 'Bytes.', labelNames: LABEL_NAMES }
    const indexed = new IndexedCounter({ ...config, registers: [ours] })
    const plain = new Counter({ ...config, registers: [theirs] })
    for (const batch of recorded) {
      for (const { operation, status, amount } of batch) {
        const whole = Math.round(amount)
        indexed.add([operation, status], whole)
        plain.inc({ operation, status }, whole)
      }
      if (await ours.metrics() !== await theirs.metrics()) return false
    }
    return true
  })))
})

t.test('an indexed histogram exports exactly what prom-client\'s own histogram exports for the same observations, scrape after scrape', async (t) => {
  await t.resolves(fc.assert(fc.asyncProperty(batches, async (recorded) => {
    const { ours, theirs } = registries()
    const config = { name: 'latency_seconds', help: 'Latency.', labelNames: LABEL_NAMES, buckets: BUCKETS }
    const indexed = new IndexedHistogram({ ...config, registers: [ours] })
    const plain = new Histogram({ ...config, registers: [theirs] })
    for (const batch of recorded) {
      for (const { operation, status, amount } of batch) {
        indexed.record([operation, status], amount)
        plain.observe({ operation, status }, amount)
      }
      if (await ours.metrics() !== await theirs.metrics()) return false
    }
    return true
  })))
})

t.test('a counter refuses an amount that is negative or not finite, and keeps its total', async (t) => {
  const registry = new Registry()
  const counter = new IndexedCounter({ name: 'bytes_total', help: 'Bytes.', labelNames: ['operation'], registers: [registry] })
  counter.add(['Converse'], 5)
  t.throws(() => counter.add(['Converse'], -1), TypeError)
  t.throws(() => counter.add(['Converse'], Number.NaN), TypeError)
  t.throws(() => counter.add(['Converse'], Number.POSITIVE_INFINITY), TypeError)
  t.match(await registry.metrics(), /bytes_total\{operation="Converse"\} 5\n/)
})

t.test('a histogram refuses a value that is not a number, and exports nothing for it', async (t) => {
  const registry = new Registry()
  const histogram = new IndexedHistogram({ name: 'latency_seconds', help: 'Latency.', labelNames: ['operation'], buckets: BUCKETS, registers: [registry] })
  t.throws(() => histogram.record(['Converse'], Number.NaN), TypeError)
  t.notMatch(await registry.metrics(), /latency_seconds_count/)
})
