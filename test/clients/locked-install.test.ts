import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { installLocked } from '../support/python-env.ts'
import { createVirtualenv, hashedLock, publishWheel } from '../support/python-wheels.ts'
import type { PublishedWheel } from '../support/python-wheels.ts'

const REQUIREMENTS_FILE = new URL('requirements.txt', import.meta.url)
const INSTALLED_VERSION = [
  'import importlib.metadata, sys',
  'print(importlib.metadata.version(sys.argv[1]))'
].join('\n')

// The shape of the failure this guards against: a locked package asks for a dependency with an extra, and a newer
// release of that dependency appears on the index after the lock was made.
interface LocalIndex {
  folder: string
  app: PublishedWheel
  lockedDependency: PublishedWheel
  extraDependency: PublishedWheel
}

// t.testdir() empties the test's folder on each call, so each test takes it once and works in named subfolders.
function localIndex (testFolder: string): LocalIndex {
  const folder = join(testFolder, 'index')
  mkdirSync(folder)
  const app = publishWheel(folder, { name: 'geofence-app', version: '1.0', requires: ['geofence-dep[fast]>=1.0'] })
  const lockedDependency = publishWheel(folder,
    { name: 'geofence-dep', version: '1.0', extras: { fast: ['geofence-speedups'] } })
  const extraDependency = publishWheel(folder, { name: 'geofence-speedups', version: '1.0' })
  return { folder, app, lockedDependency, extraDependency }
}

function publishTomorrowsRelease ({ folder }: LocalIndex): void {
  publishWheel(folder, { name: 'geofence-dep', version: '2.0', extras: { fast: ['geofence-speedups'] } })
}

async function installFromLocalIndex (index: LocalIndex, lock: string): Promise<string> {
  const work = join(index.folder, '..', 'install')
  mkdirSync(work)
  const python = createVirtualenv(join(work, 'venv'))
  const requirementsFile = join(work, 'requirements.txt')
  const topLevelRequirementsFile = join(work, 'requirements.in')
  writeFileSync(requirementsFile, lock)
  writeFileSync(topLevelRequirementsFile, `${index.app.spec.name}==${index.app.spec.version}\n`)
  await installLocked({
    python,
    requirementsFile,
    topLevelRequirementsFile,
    logFile: join(work, 'install.log'),
    sourceArguments: ['--no-index', '--find-links', index.folder]
  })
  return python
}

function installedVersion (python: string, distribution: string): string {
  return spawnSync(python, ['-c', INSTALLED_VERSION, distribution], { encoding: 'utf8' }).stdout.trim()
}

t.test('a complete lock installs the locked versions though a newer release of a dependency is published', async (t) => {
  const index = localIndex(t.testdir())
  publishTomorrowsRelease(index)
  const python = await installFromLocalIndex(index,
    hashedLock([index.app, index.lockedDependency, index.extraDependency]))
  t.equal(installedVersion(python, 'geofence-dep'), '1.0')
  t.equal(installedVersion(python, 'geofence-speedups'), '1.0')
})

t.test('a lock missing a package that a locked package requires fails the install and names it', async (t) => {
  const index = localIndex(t.testdir())
  await t.rejects(installFromLocalIndex(index, hashedLock([index.app, index.lockedDependency])),
    /geofence-dep 1\.0 requires geofence-speedups, which is not installed/)
})

t.test('a lock entry without a hash is refused', async (t) => {
  const index = localIndex(t.testdir())
  const lock = hashedLock([index.app, index.lockedDependency]) + `${index.extraDependency.spec.name}==1.0\n`
  await t.rejects(installFromLocalIndex(index, lock), /Hashes are required/)
})

t.test('every package in the client lock is pinned to one version with a hash', async (t) => {
  const entries = readFileSync(REQUIREMENTS_FILE, 'utf8')
    .replaceAll(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'))
  t.ok(entries.length > 0)
  for (const entry of entries) {
    t.match(entry, /^[A-Za-z0-9._-]+==[^\s;]+(?: --hash=sha256:[0-9a-f]{64})+$/, entry.slice(0, entry.indexOf(' ')))
  }
})
