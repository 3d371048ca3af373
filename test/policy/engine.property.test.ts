import t from 'tap'
import fc from 'fast-check'
import type { AllowList } from '../../src/config/types.ts'
import { OPERATION_NAMES } from '../../src/bedrock/operation-names.ts'
import { destinationsFor, SHIPPED_CATALOG } from '../../src/config/routing-catalog.ts'
import { decideRequest } from '../support/decide-request.ts'
import { SEED_ALLOW, seedWith } from '../support/seed-allowlist.ts'

/**
 * For random model ids, random encodings and a few allowlists: whatever the engine allows, decoded the way Bedrock
 * would decode it, names only allowed regions and allowed prefixes. The checks below are written from the reference
 * facts, not from the engine's own code.
 */

const PROVIDERS = ['anthropic', 'amazon', 'meta', 'mistral', 'cohere']
const SYSTEM_PREFIXES = ['us', 'us-gov', 'eu', 'apac', 'au', 'jp', 'ca', 'global']
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'ap-southeast-2', 'ap-southeast-4', 'ap-northeast-1', 'us-gov-west-1']
const ACCOUNT = '111122223333'

const ALLOWLISTS: AllowList[] = [
  SEED_ALLOW,
  seedWith({ operations: OPERATION_NAMES }),
  seedWith({ inferenceProfilePrefixes: ['us', 'eu', 'au', 'global'] }),
  seedWith({ regions: ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3', 'eu-west-2'], inferenceProfilePrefixes: ['eu'] }),
  seedWith({ inferenceProfilePrefixes: [] })
]

const caseVariant = (text: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, i) => upper[i] === true ? char.toUpperCase() : char).join(''))

const madeUpPrefix = fc.stringMatching(/^[a-zA-Z-]{1,6}$/)
const provider = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROVIDERS) }, { weight: 1, arbitrary: fc.constantFrom(...PROVIDERS).chain(caseVariant) })
const model = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}(:[0-9])?$/)
const foundationModelId = fc.tuple(provider, model).map(([p, m]) => `${p}.${m}`)
/** Stands for the requested region in a generated ARN, so that ARN regions often match it. */
const REQUESTED_REGION = '{requested}'

/** Pieces an attacker splices in to make two decoders disagree. */
const splice = fc.constantFrom('/', '%', '%2F', '%252F', '..', '/../', '.', ' ', '\\', '%00', 'global.', 'eu.', ':', '%3A')
const withSplice = (text: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(text, fc.option(fc.tuple(splice, fc.nat()), { freq: 4 }))
  .map(([value, extra]) => {
    if (extra === null) return value
    const at = extra[1] % (value.length + 1)
    return value.slice(0, at) + extra[0] + value.slice(at)
  })

/** Model ids for one allowlist: its allowed prefixes often (so that some requests pass), known ones in any case, made-up ones. */
function idsFor (allow: AllowList): fc.Arbitrary<string> {
  const prefix = fc.oneof(
    ...(allow.inferenceProfilePrefixes.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...allow.inferenceProfilePrefixes) }] : []),
    { weight: 2, arbitrary: fc.constantFrom(...SYSTEM_PREFIXES) },
    { weight: 2, arbitrary: fc.constantFrom(...SYSTEM_PREFIXES).chain(caseVariant) },
    { weight: 1, arbitrary: madeUpPrefix }
  )
  const profileId = fc.tuple(prefix, foundationModelId).map(([p, id]) => `${p}.${id}`)
  const arn = fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('aws') }, { weight: 1, arbitrary: fc.constantFrom('aws-us-gov', 'aws-cn') }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(REQUESTED_REGION) }, { weight: 1, arbitrary: fc.constantFrom(...REGIONS, '') }),
    fc.oneof(
      foundationModelId.map((id) => ['', `foundation-model/${id}`]),
      profileId.map((id) => [ACCOUNT, `inference-profile/${id}`]),
      fc.constantFrom('application-inference-profile', 'provisioned-model', 'imported-model', 'prompt-router')
        .map((type) => [ACCOUNT, `${type}/a1b2c3d4e5f6`])
    )
  ).map(([partition, region, [account, resource]]) => `arn:${partition}:bedrock:${region}:${account}:${resource}`)
  return withSplice(fc.oneof(foundationModelId, profileId, arn))
}

interface Scenario { readonly allow: AllowList, readonly region: string, readonly id: string }

/** An allowlist, a requested region (usually an allowed one) and a model id to send there. */
const scenario: fc.Arbitrary<Scenario> = fc.oneof(...ALLOWLISTS.map((allow) => fc.tuple(
  fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...allow.regions) }, { weight: 1, arbitrary: fc.constantFrom(...REGIONS) }),
  idsFor(allow)
).map(([region, id]) => ({ allow, region, id: id.replace(REQUESTED_REGION, region) }))))

/** Per character: sent raw, percent-encoded (either hex case), or encoded twice. */
const encoding = fc.array(fc.oneof({ weight: 30, arbitrary: fc.constantFrom('raw', 'upper', 'lower') }, { weight: 1, arbitrary: fc.constant('double') }), { minLength: 1, maxLength: 32 })
function encode (text: string, choices: readonly string[]): string {
  return [...text].map((char, i) => {
    const hex = [...new TextEncoder().encode(char)].map((byte) => '%' + byte.toString(16).padStart(2, '0').toUpperCase()).join('')
    switch (choices[i % choices.length]) {
      case 'upper': return hex
      case 'lower': return hex.toLowerCase()
      case 'double': return hex.replaceAll('%', '%25')
      default: return char
    }
  }).join('')
}

const MODEL_ACTIONS = ['invoke', 'invoke-with-response-stream', 'converse', 'converse-stream', 'count-tokens']

/** A server framework decodes a path label once; a sloppy layer in front of Bedrock might decode it again. */
function bedrockDecodings (label: string): string[] {
  const once = decodeURIComponent(label)
  let twice = once
  try { twice = decodeURIComponent(once) } catch { /* not decodable twice: only the single decoding counts */ }
  return [once, twice]
}

/** Resource types that run in the region of their ARN (as the Bedrock runtime API documents them); anything else must be listed by ARN. */
const SINGLE_REGION_TYPES = ['foundation-model', 'inference-profile', 'provisioned-model', 'imported-model', 'custom-model-deployment', 'custom-model']
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):([^/]*)\/(.*)$/i

function assertAllowedIsSafe (decoded: string, region: string, allow: AllowList): void {
  if (!allow.regions.includes(region)) throw new Error(`allowed in region ${region}`)
  const arn = ARN.exec(decoded)
  if (arn === null) {
    if (decoded.includes('/')) throw new Error(`allowed a plain id with a slash: ${decoded}`)
    assertPrefixIsSafe(decoded, region, allow)
    return
  }
  const [, partition = '', , arnRegion, , resourceType = '', resourceId = ''] = arn
  if (!allow.partitions.includes(partition)) throw new Error(`allowed partition ${partition}`)
  if (arnRegion !== region) throw new Error(`allowed ARN region ${arnRegion} from ${region}`)
  if (!SINGLE_REGION_TYPES.includes(resourceType) && !allow.routedResources.includes(decoded)) throw new Error(`allowed unlisted ${resourceType}`)
  if (resourceType === 'foundation-model' || resourceType === 'inference-profile') assertPrefixIsSafe(resourceId, region, allow)
}

/** A first segment that is not plainly a provider could be a profile prefix to Bedrock: it must be allowed, exactly. */
function assertPrefixIsSafe (id: string, region: string, allow: AllowList): void {
  const firstSegment = id.split('.')[0] ?? ''
  const looksLikeProfile = SYSTEM_PREFIXES.includes(firstSegment.toLowerCase()) || !PROVIDERS.includes(firstSegment)
  if (!looksLikeProfile) return
  if (!allow.inferenceProfilePrefixes.includes(firstSegment)) throw new Error(`allowed prefix ${firstSegment} in ${id}`)
  const destinations = destinationsFor(SHIPPED_CATALOG, firstSegment, region)
  // A listed prefix without a boundary (`global`) is the operator's explicit choice; `check` reports it as a finding.
  if (destinations === 'any') return
  if (destinations === undefined || destinations.some((destination) => !allow.regions.includes(destination))) {
    throw new Error(`allowed ${id} from ${region}, which can run outside allow.regions`)
  }
}

t.test('a model id the engine allows in the path never decodes to a disallowed prefix or region', async (t) => {
  let allowed = 0
  fc.assert(fc.property(scenario, encoding, fc.constantFrom(...MODEL_ACTIONS),
    ({ allow, region, id: text }, choices, action) => {
      const label = encode(text, choices)
      const decision = decideRequest({ target: `/model/${label}/${action}`, body: '{}', region }, allow)
      if (!decision.allowed) return
      allowed++
      for (const decoded of bedrockDecodings(label)) assertAllowedIsSafe(decoded, region, allow)
    }), { numRuns: 5000 })
  t.ok(allowed > 250, `no allowed request decoded to a disallowed prefix or region (${allowed} of 5000 were allowed)`)
})

t.test('a model id the engine allows in an async-invoke body is just as safe', async (t) => {
  let allowed = 0
  fc.assert(fc.property(scenario, ({ allow, region, id: text }) => {
    const body = JSON.stringify({ modelId: text, modelInput: {} })
    const decision = decideRequest({ target: '/async-invoke', body, region }, { ...allow, operations: OPERATION_NAMES })
    if (!decision.allowed) return
    allowed++
    const decoded = (JSON.parse(body) as { modelId: string }).modelId
    assertAllowedIsSafe(decoded, region, { ...allow, operations: OPERATION_NAMES })
    if (decoded.includes('%')) throw new Error(`allowed a body model id holding %: ${decoded}`)
  }), { numRuns: 3000 })
  t.ok(allowed > 150, `no allowed async invocation named a disallowed prefix or region (${allowed} of 3000 were allowed)`)
})

t.test('how a valid id is percent-encoded never changes the decision', async (t) => {
  const singleEncoding = fc.array(fc.constantFrom('raw', 'upper', 'lower'), { minLength: 1, maxLength: 32 })
  fc.assert(fc.property(scenario.filter(({ id }) => /^[A-Za-z0-9.:/-]+$/.test(id)), singleEncoding,
    ({ allow, region, id: text }, choices) => {
      // A raw '/' is another path; every other character may be sent raw or encoded.
      const label = encode(text, choices).replaceAll('/', '%2F')
      const reference = decideRequest({ target: `/model/${encodeURIComponent(text)}/converse`, body: '{}', region }, allow)
      const decision = decideRequest({ target: `/model/${label}/converse`, body: '{}', region }, allow)
      if (decision.reason !== reference.reason) throw new Error(`${label}: ${decision.reason}, but ${reference.reason} when fully encoded`)
    }), { numRuns: 3000 })
  t.pass('raw and encoded forms of one id got one decision')
})

t.test('no case variant of an allowed prefix other than the exact one is ever allowed', async (t) => {
  fc.assert(fc.property(caseVariant('us').filter((variant) => variant !== 'us'), foundationModelId, (variant, rest) => {
    const decision = decideRequest({ target: `/model/${encodeURIComponent(`${variant}.${rest}`)}/invoke`, region: 'us-east-1' }, SEED_ALLOW)
    if (decision.allowed) throw new Error(`${variant}.${rest} was allowed`)
  }))
  t.pass('only the exact prefix passes')
})
