import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t, { type Test } from 'tap'
import { main } from '../../src/cli/main.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { parseCatalog, SHIPPED_CATALOG } from '../../src/config/routing-catalog.ts'
import { decide } from '../../src/policy/engine.ts'
import { factsForModel } from '../../src/policy/facts-for-model.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { useFakeGatewayCredentials } from '../support/control-plane-credentials.ts'
import {
  applicationProfile,
  startFakeControlPlane,
  systemProfile,
  type FakeControlPlane,
  type FakeControlPlaneOptions,
  type InferenceProfileFixture
} from '../support/fake-bedrock/index.ts'

const ALLOWED_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-2']
const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0'
const LLAMA = 'meta.llama3-1-70b-instruct-v1:0'

/** What the shipped catalog also says: `us` from us-east-1 and us-west-2 stays in us-east-1/2 and us-west-2. */
const IN_BOUNDS: readonly InferenceProfileFixture[] = [
  systemProfile({ id: `us.${SONNET}`, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }),
  systemProfile({ id: `us.${SONNET}`, sourceRegion: 'us-west-2', destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }),
  // London can send `eu` to Paris; `eu` is not an allowed prefix, so the gateway refuses it and it is no finding.
  systemProfile({ id: 'eu.anthropic.claude-3-haiku-20240307-v1:0', sourceRegion: 'eu-west-2', destinationRegions: ['eu-west-2', 'eu-west-3'] }),
  applicationProfile({ id: 'a1b2c3d4e5f6', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-west-2'], modelId: SONNET }),
  // Resolved by the gateway, which refuses it for Paris: shown as denied, but the allowlist does not admit it by name.
  applicationProfile({ id: 'f6e5d4c3b2a1', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'eu-west-3'], modelId: SONNET })
]
/** AWS now routes a `us` profile called from us-east-1 to Ireland, which the shipped catalog does not know. */
const STALE_CATALOG_PROFILE = systemProfile({
  id: `us.${LLAMA}`, sourceRegion: 'us-east-1', destinationRegions: ['eu-west-1', 'us-east-1', 'us-west-2']
})

function golden (name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

async function fakeControlPlane (t: Test, profiles: readonly InferenceProfileFixture[],
  options: FakeControlPlaneOptions = {}): Promise<FakeControlPlane> {
  const cp = await startFakeControlPlane({ ...options, inferenceProfiles: profiles })
  t.teardown(() => cp.close())
  useFakeGatewayCredentials(t)
  return cp
}

/** The allowlist above, the fake as control plane; `allow` adds lines to the allowlist, `sections` top-level ones. */
function auditConfig (t: Test, cp: FakeControlPlane, { allow = '', sections = '' } = {}): string {
  return writeConfig(t, `
allow:
  regions: [${ALLOWED_REGIONS.join(', ')}]
  inferenceProfilePrefixes: [us]
${allow}upstream:
  controlPlaneEndpoint: "${cp.url}"
${sections}`)
}

function profilesOf (json: string): Array<Record<string, unknown>> {
  return (JSON.parse(json) as { profiles: Array<Record<string, unknown>> }).profiles
}

async function audit (configPath: string, ...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const io = capturedIo()
  const code = await main(['audit-profiles', '--config', configPath, ...args], io)
  return { code, out: io.out(), err: io.err() }
}

t.test('a table of every profile in every allowed region, with its destinations and the gateway\'s decision', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  const { code, out, err } = await audit(auditConfig(t, cp))
  t.equal(out, golden('audit-profiles.txt'))
  t.equal(err, '')
  t.equal(code, 0)
})

t.test('--json prints the same audit for machines', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  const { code, out } = await audit(auditConfig(t, cp), '--json')
  t.equal(out, golden('audit-profiles.json'))
  t.equal(code, 0)
})

t.test('both profile types are listed in every allowed region, and nothing else is asked', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  await audit(auditConfig(t, cp))
  const listings = cp.requests.map(({ region, path }) => `${region} ${new URL(path, cp.url).searchParams.get('type')}`).sort()
  t.strictSame(listings, ALLOWED_REGIONS.flatMap((region) => [`${region} APPLICATION`, `${region} SYSTEM_DEFINED`]).sort())
  t.equal(cp.lookups('GetInferenceProfile'), 0)
  t.ok(cp.requests.every(({ signature }) => signature?.ok === true), 'every call is signed with the gateway\'s credentials')
})

t.test('a profile under an allowed prefix that AWS routes outside the allowlist exits 1 and names the region', async (t) => {
  const cp = await fakeControlPlane(t, [...IN_BOUNDS, STALE_CATALOG_PROFILE])
  const { code, out } = await audit(auditConfig(t, cp))
  t.equal(code, 1)
  t.match(out, `profile-routes-outside:us.${LLAMA}:us-east-1: us.${LLAMA} called from us-east-1 can run in eu-west-1, outside allow.regions`)
  // With the shipped catalog the gateway still allows it: exactly the staleness the audit is for.
  t.match(out, new RegExp(`us-east-1 +SYSTEM_DEFINED +us\\.${LLAMA.replaceAll('.', '\\.')} +eu-west-1, us-east-1, us-west-2 +allowed\\n`))
})

t.test('with routing.verify live the same profile shows as denied, and still exits 1: the catalog is stale', async (t) => {
  const cp = await fakeControlPlane(t, [STALE_CATALOG_PROFILE])
  const catalogMode = await audit(auditConfig(t, cp), '--json')
  const liveMode = await audit(auditConfig(t, cp, { sections: 'routing: { verify: live }\n' }), '--json')
  t.equal(catalogMode.code, 1)
  t.equal(liveMode.code, 1)
  t.match(profilesOf(catalogMode.out)[0], { allowed: true, outsideAllowlist: ['eu-west-1'] })
  t.match(profilesOf(liveMode.out)[0], { allowed: false, reason: 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST', outsideAllowlist: ['eu-west-1'] })
})

t.test('an application profile listed by ARN that AWS routes outside the allowlist is a finding too', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  const outside = IN_BOUNDS[4]!.profile.inferenceProfileArn
  const { code, out } = await audit(auditConfig(t, cp, { allow: `  applicationInferenceProfiles: ["${outside}"]\n` }))
  t.equal(code, 1)
  t.match(out, 'profile-routes-outside:f6e5d4c3b2a1:us-east-1: f6e5d4c3b2a1 called from us-east-1 can run in eu-west-3')
})

t.test('every page of a listing is read', async (t) => {
  const five = Array.from({ length: 5 }, (_, i) => applicationProfile({
    id: `p${String(i).padStart(11, '0')}`, sourceRegion: 'us-east-2', destinationRegions: ['us-east-2'], modelId: SONNET
  }))
  const cp = await fakeControlPlane(t, five, { defaultPageSize: 2 })
  const { code, out } = await audit(auditConfig(t, cp), '--json')
  t.equal(code, 0)
  t.strictSame(profilesOf(out).map(({ id }) => id), five.map(({ profile }) => profile.inferenceProfileId))
  t.equal(cp.requests.filter(({ region, path }) => region === 'us-east-2' && path.includes('type=APPLICATION')).length, 3)
})

t.test('--write-catalog writes a catalog the engine loads, and that catalog refuses what AWS now routes outside', async (t) => {
  const cp = await fakeControlPlane(t, [...IN_BOUNDS, STALE_CATALOG_PROFILE])
  const configPath = auditConfig(t, cp)
  const file = join(dirname(configPath), 'catalog.json')
  const { code, err } = await audit(configPath, '--write-catalog', file)
  t.equal(code, 1)
  t.match(err, `wrote a routing catalog of 2 prefixes to ${file}`)

  const catalog = parseCatalog(JSON.parse(readFileSync(file, 'utf8')))
  const today = new Date().toISOString().slice(0, 10)
  t.equal(catalog.date, today)
  t.equal(catalog.source, `audit-profiles 111122223333/${ALLOWED_REGIONS.join(',')} ${today}`)
  t.strictSame(catalog.prefixes, {
    eu: { sources: { 'eu-west-2': ['eu-west-2', 'eu-west-3'] } },
    us: {
      sources: {
        'us-east-1': ['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2'],
        'us-west-2': ['us-east-1', 'us-east-2', 'us-west-2']
      }
    }
  })

  const allow = (await loadConfig(configPath, {})).allow
  const facts = factsForModel('InvokeModel', 'us-east-1', `us.${LLAMA}`)
  if (!facts.ok) throw new Error('the model id must parse')
  t.match(decide(facts.facts, allow, catalog), { allowed: false, reason: 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST', message: /eu-west-1/ })
  t.match(decide(facts.facts, allow, SHIPPED_CATALOG), { allowed: true })
})

t.test('routing.catalogFile loads a written catalog: explain --offline then refuses what AWS now routes outside', async (t) => {
  const cp = await fakeControlPlane(t, [...IN_BOUNDS, STALE_CATALOG_PROFILE])
  const configPath = auditConfig(t, cp)
  await audit(configPath, '--write-catalog', join(dirname(configPath), 'catalog.json'))
  const refreshed = join(dirname(configPath), 'refreshed.yaml')
  writeFileSync(refreshed, `${readFileSync(configPath, 'utf8')}routing: { catalogFile: catalog.json }\n`)

  const explain = async (path: string): Promise<{ code: number, out: string }> => {
    const io = capturedIo()
    const code = await main(['explain', '--config', path, '--offline', '--region', 'us-east-1', '--model', `us.${LLAMA}`], io)
    return { code, out: io.out() }
  }
  const before = await explain(configPath)
  const after = await explain(refreshed)
  t.equal(before.code, 0)
  t.equal(after.code, 1)
  t.match(after.out, /reason: +PROFILE_ROUTES_OUTSIDE_ALLOWLIST\nmessage: .*eu-west-1.*\(routing catalog \d{4}-\d\d-\d\d\)/)
  t.equal(cp.lookups('GetInferenceProfile'), 0)

  const audited = await audit(refreshed, '--json')
  t.match(profilesOf(audited.out).find(({ id }) => id === `us.${LLAMA}`), { allowed: false, reason: 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST' })
})

t.test('a control plane that refuses the gateway\'s role exits 2 and says which permission is missing', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  cp.setFault({ kind: 'error', errorType: 'AccessDeniedException' })
  const { code, out, err } = await audit(auditConfig(t, cp))
  t.equal(code, 2)
  t.equal(out, '')
  t.match(err, /^audit-profiles: ListInferenceProfiles .* was refused .*bedrock:ListInferenceProfiles\n$/)
})

t.test('credentials the control plane does not accept exit 2', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  process.env.AWS_SECRET_ACCESS_KEY = 'not-the-fake-secret'
  const { code, out, err } = await audit(auditConfig(t, cp))
  t.equal(code, 2)
  t.equal(out, '')
  t.match(err, 'ListInferenceProfiles')
})

t.test('a catalog file that cannot be written exits 2', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  const configPath = auditConfig(t, cp)
  const { code, out, err } = await audit(configPath, '--write-catalog', join(dirname(configPath), 'missing', 'catalog.json'))
  t.equal(code, 2)
  t.equal(out, '')
  t.match(err, 'cannot write the routing catalog')
})

t.test('an unknown operation is a usage error, and nothing is asked of AWS', async (t) => {
  const cp = await fakeControlPlane(t, IN_BOUNDS)
  const { code, err } = await audit(auditConfig(t, cp), '--operation', 'Converce')
  t.equal(code, 2)
  t.match(err, 'did you mean Converse?')
  t.equal(cp.requests.length, 0)
})
