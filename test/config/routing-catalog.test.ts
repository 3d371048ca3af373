import t from 'tap'
import { destinationsFor, parseCatalog, SHIPPED_CATALOG } from '../../src/config/routing-catalog.ts'
import { SEED_ALLOW } from '../support/seed-allowlist.ts'

const US_CORE = ['us-east-1', 'us-east-2', 'us-west-2']
const EU_CORE = ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3']
const sorted = (regions: readonly string[] | 'any' | undefined): unknown => Array.isArray(regions) ? [...regions].sort() : regions

t.test('the shipped catalog says when and where its facts come from', async (t) => {
  t.equal(SHIPPED_CATALOG.date, '2025-12')
  t.match(SHIPPED_CATALOG.source, 'Supported Regions and models for inference profiles')
})

t.test('us: the core three, plus the source when it is us-west-1 or a Canadian region', async (t) => {
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'us', 'us-east-2')), US_CORE)
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'us', 'us-west-1')), [...US_CORE, 'us-west-1'].sort())
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'us', 'ca-central-1')), [...US_CORE, 'ca-central-1'].sort())
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'us', 'ca-west-1')), [...US_CORE, 'ca-west-1'].sort())
  t.ok(destinationsFor(SHIPPED_CATALOG, 'us', 'us-east-1')?.includes('us-west-1'), 'a few models reach us-west-1 from us-east-1')
})

t.test('eu: a request sent to London can run in Paris', async (t) => {
  const fromLondon = destinationsFor(SHIPPED_CATALOG, 'eu', 'eu-west-2')
  t.same(sorted(fromLondon), [...EU_CORE, 'eu-west-2'].sort())
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'eu', 'eu-central-1')), [...EU_CORE].sort())
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'eu', 'il-central-1')), [...EU_CORE, 'il-central-1'].sort())
})

t.test('apac can leave Asia-Pacific; au, jp and ca stay in their countries', async (t) => {
  t.ok(destinationsFor(SHIPPED_CATALOG, 'apac', 'ap-southeast-2')?.includes('me-central-1'))
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'au', 'ap-southeast-4')), ['ap-southeast-2', 'ap-southeast-4'])
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'jp', 'ap-northeast-3')), ['ap-northeast-1', 'ap-northeast-3'])
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'ca', 'ca-west-1')), ['ca-central-1', 'ca-west-1'])
  t.same(sorted(destinationsFor(SHIPPED_CATALOG, 'us-gov', 'us-gov-east-1')), ['us-gov-east-1', 'us-gov-west-1'])
})

t.test('global can run anywhere, from anywhere', async (t) => {
  t.equal(destinationsFor(SHIPPED_CATALOG, 'global', 'us-east-1'), 'any')
  t.equal(destinationsFor(SHIPPED_CATALOG, 'global', 'eu-west-2'), 'any')
})

t.test('a prefix a source region cannot call, or an unknown prefix, has no destinations', async (t) => {
  t.equal(destinationsFor(SHIPPED_CATALOG, 'us', 'eu-west-2'), undefined)
  t.equal(destinationsFor(SHIPPED_CATALOG, 'au', 'us-east-1'), undefined)
  t.equal(destinationsFor(SHIPPED_CATALOG, 'US', 'us-east-1'), undefined, 'prefixes are case-sensitive')
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    t.equal(destinationsFor(SHIPPED_CATALOG, name, 'us-east-1'), undefined, `prefix ${name}`)
    t.equal(destinationsFor(SHIPPED_CATALOG, 'us', name), undefined, `source ${name}`)
  }
})

t.test('every geographic profile can run in the region it is called from', async (t) => {
  for (const [prefix, routing] of Object.entries(SHIPPED_CATALOG.prefixes)) {
    for (const [source, destinations] of Object.entries(routing.sources)) t.ok(destinations.includes(source), `${prefix} from ${source}`)
  }
})

t.test('the seed allowlist is consistent with the catalog: us. from every allowed us source stays inside it', async (t) => {
  for (const region of SEED_ALLOW.regions) {
    const destinations = destinationsFor(SHIPPED_CATALOG, 'us', region)
    if (destinations === undefined || destinations === 'any') continue
    t.same(destinations.filter((destination) => !SEED_ALLOW.regions.includes(destination)), [], `us from ${region}`)
  }
})

t.test('a catalog written as JSON loads back unchanged, frozen', async (t) => {
  const loaded = parseCatalog(JSON.parse(JSON.stringify(SHIPPED_CATALOG)))
  t.same(loaded, SHIPPED_CATALOG)
  t.ok(Object.isFrozen(loaded) && Object.isFrozen(loaded.prefixes) && Object.isFrozen(loaded.prefixes.us?.sources['us-east-1']))
})

t.test('a catalog dated to the day or the second loads too', async (t) => {
  for (const date of ['2026-11-27', '2026-11-27T10:15:00Z', '2026-11-27T10:15:00.123+01:00']) {
    t.equal(parseCatalog({ date, source: 'audit-profiles', prefixes: {} }).date, date)
  }
})

t.test('an invalid catalog is refused with the path of the problem', async (t) => {
  const valid = { date: '2026-11', source: 'test', prefixes: { us: { sources: { 'us-east-1': ['us-east-1'] } } } }
  const refused: [unknown, string][] = [
    [null, 'catalog: expected an object'],
    [[], 'catalog: expected an object'],
    [{ ...valid, date: undefined }, 'catalog.date: expected a non-empty string'],
    [{ ...valid, date: 'December 2025' }, 'catalog.date: "December 2025" is not a date'],
    [{ ...valid, source: '' }, 'catalog.source: expected a non-empty string'],
    [{ ...valid, extra: 1 }, 'catalog.extra: unknown key'],
    [{ ...valid, prefixes: [] }, 'catalog.prefixes: expected an object'],
    [{ ...valid, prefixes: { US: { sources: {} } } }, 'catalog.prefixes.US: "US" is not an inference-profile prefix'],
    [{ ...valid, prefixes: { us: { sources: {}, routes: {} } } }, 'catalog.prefixes.us.routes: unknown key'],
    [{ ...valid, prefixes: { us: {} } }, 'catalog.prefixes.us.sources: expected an object'],
    [{ ...valid, prefixes: { us: { anyRegion: 'yes', sources: {} } } }, 'catalog.prefixes.us.anyRegion: expected true or false'],
    [{ ...valid, prefixes: { us: { sources: { 'us-east-9x': ['us-east-1'] } } } }, 'catalog.prefixes.us.sources["us-east-9x"]: "us-east-9x" is not an AWS region'],
    [{ ...valid, prefixes: { us: { sources: { 'us-east-1': [] } } } }, 'catalog.prefixes.us.sources["us-east-1"]: expected a non-empty list of regions'],
    [{ ...valid, prefixes: { us: { sources: { 'us-east-1': ['us-east-1', 'mars-1'] } } } }, 'catalog.prefixes.us.sources["us-east-1"][1]: "mars-1" is not an AWS region'],
    [{ ...valid, prefixes: { us: { sources: { 'us-east-1': ['us-east-1', 'us-east-1'] } } } }, 'catalog.prefixes.us.sources["us-east-1"]: us-east-1 is listed twice']
  ]
  t.ok(parseCatalog(valid))
  for (const [json, message] of refused) t.throws(() => parseCatalog(json), { message: new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }, message)
})
