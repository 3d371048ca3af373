import t from 'tap'
import { ConfigError } from '../../src/config/config-error.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { configuredCatalog, SHIPPED_CATALOG } from '../../src/config/routing-catalog.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'

const CATALOG = {
  date: '2026-05-01',
  source: 'audit-profiles 111122223333/us-east-1 2026-05-01',
  prefixes: { us: { sources: { 'us-east-1': ['eu-west-1', 'us-east-1'] } } }
}

async function problemsOf (path: string): Promise<readonly string[]> {
  try {
    await loadConfig(path, {})
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error(`${path} was accepted, expected problems`)
}

t.test('routing.catalogFile is read relative to the config file and becomes the catalog the engine uses', async (t) => {
  const path = writeConfig(t, `${MINIMAL_CONFIG}routing: { catalogFile: mine.json }\n`, { 'mine.json': JSON.stringify(CATALOG) })
  const config = await loadConfig(path, {})
  t.equal(config.routing.catalogFile, 'mine.json')
  t.strictSame(configuredCatalog(config), CATALOG)
})

t.test('without routing.catalogFile the engine uses the shipped catalog', async (t) => {
  const config = await loadConfig(writeConfig(t, MINIMAL_CONFIG), {})
  t.equal(configuredCatalog(config), SHIPPED_CATALOG)
})

t.test('a catalog file that is missing, not JSON or not a catalog is a config problem naming it', async (t) => {
  const cases: Record<string, [Record<string, string>, RegExp]> = {
    missing: [{}, /^routing\.catalogFile: "catalog\.json" cannot be read \(ENOENT\)$/],
    'not JSON': [{ 'catalog.json': '{"date": ' }, /^routing\.catalogFile: "catalog\.json" is not JSON \(/],
    'not a catalog': [
      { 'catalog.json': JSON.stringify({ ...CATALOG, prefixes: { us: { sources: { 'us-east-1': ['eu-west-22'] } } } }) },
      /^routing\.catalogFile: "catalog\.json" is not a routing catalog: catalog\.prefixes\.us\.sources\["us-east-1"\]\[0\]: "eu-west-22" is not an AWS region$/
    ]
  }
  for (const [name, [files, expected]] of Object.entries(cases)) {
    const path = writeConfig(t, `${MINIMAL_CONFIG}routing: { catalogFile: catalog.json }\n`, files)
    const problems = await problemsOf(path)
    t.equal(problems.length, 1, name)
    t.match(problems[0], expected, name)
  }
})

t.test('an empty routing.catalogFile is a schema problem', async (t) => {
  const problems = await problemsOf(writeConfig(t, `${MINIMAL_CONFIG}routing: { catalogFile: "" }\n`))
  t.match(problems.join('\n'), 'routing.catalogFile')
})
