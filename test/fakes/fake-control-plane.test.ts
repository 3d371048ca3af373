import t from 'tap'
import {
  applicationProfile,
  promptRouter,
  sendSigned,
  startFakeControlPlane,
  systemProfile,
  type RawResponse
} from '../support/fake-bedrock/index.ts'

const APP = applicationProfile({
  id: 'abcdef012345',
  sourceRegion: 'eu-west-2',
  destinationRegions: ['eu-west-2', 'eu-west-3'],
  modelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0'
})
const US_SONNET = systemProfile({
  id: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
  sourceRegion: 'us-east-1',
  destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2']
})
const EU_HAIKU = systemProfile({ id: 'eu.anthropic.claude-3-haiku-20240307-v1:0', sourceRegion: 'eu-west-2', destinationRegions: ['eu-west-1', 'eu-west-3'] })
const ROUTER = promptRouter({
  name: 'anthropic.claude:1',
  sourceRegion: 'eu-west-2',
  type: 'default',
  models: [EU_HAIKU.profile.inferenceProfileArn],
  fallbackModel: EU_HAIKU.profile.inferenceProfileArn
})

function get (url: string, path: string, region: string): Promise<RawResponse> {
  return sendSigned(url, { method: 'GET', path, region })
}

function json (response: RawResponse): Record<string, unknown> {
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>
}

t.test('GetInferenceProfile by id answers the fixture in the service model\'s shape', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP] })
  t.teardown(() => cp.close())
  const response = await get(cp.url, '/inference-profiles/abcdef012345', 'eu-west-2')
  t.equal(response.status, 200)
  t.same(json(response), APP.profile)
  t.same(APP.profile.models, [
    { modelArn: 'arn:aws:bedrock:eu-west-2::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0' },
    { modelArn: 'arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0' }
  ])
})

t.test('GetInferenceProfile by percent-encoded ARN finds the same profile and counts as a lookup of that ARN', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP] })
  t.teardown(() => cp.close())
  const response = await get(cp.url, `/inference-profiles/${encodeURIComponent(APP.profile.inferenceProfileArn)}`, 'eu-west-2')
  t.equal(response.status, 200)
  t.equal(json(response).inferenceProfileId, 'abcdef012345')
  t.equal(cp.lookups('GetInferenceProfile', APP.profile.inferenceProfileArn), 1)
  t.equal(cp.lookups('GetInferenceProfile', 'abcdef012345'), 0)
})

t.test('a profile is only found from its own source region', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [US_SONNET] })
  t.teardown(() => cp.close())
  const response = await get(cp.url, `/inference-profiles/${encodeURIComponent(US_SONNET.profile.inferenceProfileId)}`, 'us-west-2')
  t.equal(response.status, 404)
  t.equal(response.headers['x-amzn-errortype'], 'ResourceNotFoundException')
})

t.test('ListInferenceProfiles filters by type and paginates with maxResults and nextToken', async t => {
  const others = ['111111111111', '222222222222'].map(id =>
    applicationProfile({ id, sourceRegion: 'eu-west-2', destinationRegions: ['eu-west-2'], modelId: 'amazon.nova-pro-v1:0' }))
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP, EU_HAIKU, US_SONNET, ...others] })
  t.teardown(() => cp.close())
  const ids: unknown[] = []
  let nextToken: string | undefined
  let pages = 0
  do {
    const query = `type=APPLICATION&maxResults=2${nextToken === undefined ? '' : `&nextToken=${encodeURIComponent(nextToken)}`}`
    const page = json(await get(cp.url, `/inference-profiles?${query}`, 'eu-west-2'))
    ids.push(...(page.inferenceProfileSummaries as Array<{ inferenceProfileId: string }>).map(summary => summary.inferenceProfileId))
    nextToken = page.nextToken as string | undefined
    pages++
  } while (nextToken !== undefined)
  t.same(ids, ['abcdef012345', '111111111111', '222222222222'])
  t.equal(pages, 2)
  const systemOnly = json(await get(cp.url, '/inference-profiles?type=SYSTEM_DEFINED', 'eu-west-2'))
  t.same(systemOnly, { inferenceProfileSummaries: [EU_HAIKU.profile] })
})

t.test('GetPromptRouter answers models and fallbackModel, which can be profile ARNs', async t => {
  const cp = await startFakeControlPlane({ promptRouters: [ROUTER] })
  t.teardown(() => cp.close())
  const response = await get(cp.url, `/prompt-routers/${encodeURIComponent(ROUTER.router.promptRouterArn)}`, 'eu-west-2')
  t.equal(response.status, 200)
  t.match(json(response), {
    promptRouterArn: 'arn:aws:bedrock:eu-west-2:111122223333:default-prompt-router/anthropic.claude:1',
    fallbackModel: { modelArn: EU_HAIKU.profile.inferenceProfileArn },
    type: 'default',
    status: 'AVAILABLE'
  })
})

t.test('setInferenceProfiles changes what later lookups report', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [US_SONNET] })
  t.teardown(() => cp.close())
  const widened = systemProfile({ id: US_SONNET.profile.inferenceProfileId, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'eu-west-1'] })
  cp.setInferenceProfiles([widened])
  const response = json(await get(cp.url, `/inference-profiles/${encodeURIComponent(US_SONNET.profile.inferenceProfileId)}`, 'us-east-1'))
  t.same(response.models, widened.profile.models)
  cp.reset()
  const restored = json(await get(cp.url, `/inference-profiles/${encodeURIComponent(US_SONNET.profile.inferenceProfileId)}`, 'us-east-1'))
  t.same(restored.models, US_SONNET.profile.models)
})

t.test('verifies SigV4: a wrong secret gets InvalidSignatureException and no answer from the fixtures', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP] })
  t.teardown(() => cp.close())
  const response = await sendSigned(cp.url, {
    method: 'GET',
    path: '/inference-profiles/abcdef012345',
    region: 'eu-west-2',
    credentials: { accessKeyId: 'AKIDFAKEUPSTREAM0001', secretAccessKey: 'wrong' }
  })
  t.equal(response.status, 403)
  t.equal(response.headers['x-amzn-errortype'], 'InvalidSignatureException')
  t.notMatch(response.body.toString('utf8'), /inferenceProfileArn/)
})

t.test('fails on demand: AccessDeniedException, throttling, a 500, then recovers', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP] })
  t.teardown(() => cp.close())
  cp.nextFault({ kind: 'error', errorType: 'AccessDeniedException', message: 'User is not authorized to perform: bedrock:GetInferenceProfile' })
  cp.nextFault({ kind: 'error', errorType: 'ThrottlingException' })
  cp.nextFault({ kind: 'error', errorType: 'InternalServerException' })
  const statuses: Array<[number, unknown]> = []
  for (let i = 0; i < 4; i++) {
    const response = await get(cp.url, '/inference-profiles/abcdef012345', 'eu-west-2')
    statuses.push([response.status, response.headers['x-amzn-errortype']])
  }
  t.same(statuses, [[403, 'AccessDeniedException'], [429, 'ThrottlingException'], [500, 'InternalServerException'], [200, undefined]])
  t.equal(cp.lookups('GetInferenceProfile'), 4)
})

t.test('can be slow on demand', async t => {
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP] })
  t.teardown(() => cp.close())
  cp.nextFault({ kind: 'slowHeaders', delayMs: 200 })
  const response = await get(cp.url, '/inference-profiles/abcdef012345', 'eu-west-2')
  t.equal(response.status, 200)
  const record = cp.requests[0]
  t.ok((record?.response?.respondedAt ?? 0) - (record?.receivedAt ?? 0) >= 190)
})
