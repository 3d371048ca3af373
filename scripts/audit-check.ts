/**
 * `npm audit` for CI, with exceptions: every advisory npm reports against the locked tree (dependencies and
 * devDependencies) must be listed in scripts/audit-exceptions.json with the reason it is accepted, or this fails.
 * An exception that no longer matches anything fails too, so the list never outlives its findings. When the registry
 * gives no audit answer at all (some mirrors answer its audit endpoint with 405), this says loudly that the tree was
 * NOT audited and exits 0, unless AUDIT_REQUIRED=1: no answer is not a clean answer, but a CI that cannot reach the
 * endpoint must not stay red for it. docs/security.md explains the list.
 *   node --import tsx scripts/audit-check.ts
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'

interface AuditException {
  /** The advisory's URL, as `npm audit` prints it (https://github.com/advisories/GHSA-...). */
  readonly advisory: string
  readonly package: string
  /** Why the finding does not affect the gateway, or what keeps it from mattering. */
  readonly reason: string
}

interface AuditAdvisory {
  readonly url?: string
  readonly title?: string
  readonly severity?: string
}

interface AuditReport {
  readonly vulnerabilities?: Record<string, { readonly via: ReadonlyArray<string | AuditAdvisory> }>
  readonly error?: { readonly summary?: string, readonly detail?: string }
  readonly message?: string
}

const exceptions = JSON.parse(await readFile(new URL('./audit-exceptions.json', import.meta.url), 'utf8')) as AuditException[]
// npm audit exits 1 whenever it finds anything; its JSON says what.
const { stdout } = await promisify(execFile)('npm', ['audit', '--json'], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
const AUDIT_REQUIRED = process.env.AUDIT_REQUIRED === '1'

function notAudited (why: string): never {
  console.error(`npm audit: the dependency tree was NOT audited: ${why}`)
  process.exit(AUDIT_REQUIRED ? 1 : 0)
}

let report: AuditReport
try {
  report = JSON.parse(stdout) as AuditReport
} catch {
  notAudited('npm audit gave no report (is the registry\'s audit endpoint reachable?)')
}
if (report.vulnerabilities === undefined) {
  notAudited(report.error?.summary || report.message || stdout.slice(0, 500))
}
const found = new Map<string, { readonly packageName: string, readonly advisory: AuditAdvisory }>()
for (const [packageName, vulnerability] of Object.entries(report.vulnerabilities)) {
  for (const via of vulnerability.via) {
    if (typeof via !== 'string' && via.url !== undefined) found.set(`${packageName} ${via.url}`, { packageName, advisory: via })
  }
}
const excepted = new Set(exceptions.map((exception) => `${exception.package} ${exception.advisory}`))
const unexcepted = [...found].filter(([key]) => !excepted.has(key))
const stale = [...excepted].filter((key) => !found.has(key))
for (const [, { packageName, advisory }] of unexcepted) console.error(`${packageName}: ${advisory.severity ?? '?'} ${advisory.title ?? ''} ${advisory.url ?? ''}`)
for (const key of stale) console.error(`stale exception (no longer reported): ${key}`)
console.log(`npm audit: ${found.size} advisories, ${found.size - unexcepted.length} excepted, ${unexcepted.length} not excepted, ${stale.length} stale exceptions`)
process.exitCode = unexcepted.length === 0 && stale.length === 0 ? 0 : 1
