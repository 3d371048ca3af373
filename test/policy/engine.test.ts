import t from 'tap'
import type { AllowList } from '../../src/config/types.ts'
import type { ReasonCode } from '../../src/core/decision.ts'
import { decide } from '../../src/policy/engine.ts'
import { parseCatalog } from '../../src/config/routing-catalog.ts'
import { decideRequest, type TestRequest } from '../support/decide-request.ts'
import { SEED_ALLOW, SEED_ALL_OPERATIONS, seedWith } from '../support/seed-allowlist.ts'

const ACCOUNT = '111122223333'
const FM = 'anthropic.claude-3-5-sonnet-20241022-v2:0'
const US = `us.${FM}`
const EU = `eu.${FM}`
const GLOBAL = `global.${FM}`
const GUARDRAIL_ID = 'gr0abc123def'
const CONVERSE_BODY = '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}'

/** Percent-encodes a model id whole, as the AWS SDKs and LiteLLM's Converse route do. */
const enc = (id: string): string => encodeURIComponent(id)
const arn = (region: string, resource: string, { partition = 'aws', service = 'bedrock', account = ACCOUNT } = {}): string =>
  `arn:${partition}:${service}:${region}:${account}:${resource}`
const fmArn = (region: string, id = FM): string => `arn:aws:bedrock:${region}::foundation-model/${id}`
const invoke = (label: string): string => `/model/${label}/invoke`
/** A Converse request: its body is always JSON. */
const converse = (label: string): { target: string, body: string } => ({ target: `/model/${label}/converse`, body: CONVERSE_BODY })
const json = (value: unknown): string => JSON.stringify(value)

const APP_PROFILE = arn('us-east-1', 'application-inference-profile/a1b2c3d4e5f6')
const GUARDRAIL_US_EAST_1 = arn('us-east-1', `guardrail/${GUARDRAIL_ID}`)
const GUARDRAIL_EU_WEST_3 = arn('eu-west-3', `guardrail/${GUARDRAIL_ID}`)
const ASYNC_US_EAST_1 = arn('us-east-1', 'async-invoke/abcdef123456')

const EU_REGIONS = ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3', 'eu-west-2']

interface Case extends TestRequest {
  readonly name: string
  readonly allow?: AllowList
  readonly expect: ReasonCode
}

const cases: Case[] = [
  // InvokeModel with plain ids, raw and encoded
  { name: 'foundation model id with a raw colon (LiteLLM invoke route)', target: invoke(FM), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'foundation model id with %3A (AWS SDK)', target: invoke(enc(FM)), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'foundation model id with lower-case %3a', target: invoke(FM.replace(':', '%3a')), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'percent-encoded letters decode to the same allowed id', target: invoke(`%75s.${FM}`), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'InvokeModel body is opaque and never parsed', target: invoke(FM), body: 'not json at all', region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'us. profile, raw', target: invoke(US), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'us. profile, encoded', target: invoke(enc(US)), region: 'us-east-2', expect: 'ALLOWED' },
  { name: 'us. profile from us-west-1 (which adds us-west-1)', target: invoke(US), region: 'us-west-1', expect: 'ALLOWED' },
  { name: 'us. profile from ca-west-1 (which adds ca-west-1)', target: invoke(US), region: 'ca-west-1', expect: 'ALLOWED' },
  { name: 'us. profile from ca-central-1', ...converse(enc(US)), region: 'ca-central-1', expect: 'ALLOWED' },
  { name: 'foundation model in a region outside the allowlist', target: invoke(FM), region: 'eu-west-3', expect: 'REGION_NOT_ALLOWED' },
  { name: 'us. profile requested in a region outside the allowlist', target: invoke(US), region: 'eu-central-1', expect: 'REGION_NOT_ALLOWED' },
  { name: 'eu. profile from eu-west-2', ...converse(enc(EU)), region: 'eu-west-2', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'mixed-case prefix US.', target: invoke(`US.${FM}`), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'mixed-case prefix Us.', target: invoke(`Us.${FM}`), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'mixed-case prefix uS. sent percent-encoded', target: invoke(`%75S.${FM}`), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'mixed-case prefix EU.', target: invoke(`EU.${FM}`), region: 'eu-west-2', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'mixed-case prefix Eu.', ...converse(enc(`Eu.${FM}`)), region: 'eu-west-2', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'global. profile', target: invoke(GLOBAL), region: 'us-east-1', expect: 'GLOBAL_PROFILE_NOT_ALLOWED' },
  { name: 'GLOBAL. in capitals', target: invoke(`GLOBAL.${FM}`), region: 'us-east-1', expect: 'GLOBAL_PROFILE_NOT_ALLOWED' },
  { name: 'apac. profile from Sydney', target: invoke(`apac.${FM}`), region: 'ap-southeast-2', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'unknown provider is treated as an unknown prefix', target: invoke('newco.model-v1:0'), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'provider in capitals is not a known provider', target: invoke('Anthropic.claude-v2:1'), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'us. profile sent to eu-west-2 (not callable there)', target: invoke(US), region: 'eu-west-2', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'us. profile sent to ap-southeast-2 (not callable there)', target: invoke(US), region: 'ap-southeast-2', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'no cross-region inference configured', target: invoke(US), region: 'us-east-1', allow: seedWith({ inferenceProfilePrefixes: [] }), expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  {
    name: 'us. profile when us-east-2 is not allowed (the catalog says it can run there)',
    target: invoke(US),
    region: 'us-east-1',
    allow: seedWith({ regions: ['us-east-1', 'us-west-1', 'us-west-2'] }),
    expect: 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST'
  },
  { name: 'undotted id names no kind the gateway can place', target: invoke('mymodel'), region: 'us-east-1', expect: 'MODEL_KIND_NOT_ALLOWED' },

  // ARNs as model ids
  { name: 'foundation-model ARN, encoded', target: invoke(enc(fmArn('us-east-1'))), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'foundation-model ARN with raw colons and an encoded slash', target: invoke(fmArn('us-west-2').replace('/', '%2F')), region: 'us-west-2', expect: 'ALLOWED' },
  { name: 'foundation-model ARN of another region (region swap)', target: invoke(enc(fmArn('us-west-2'))), region: 'us-east-1', expect: 'ARN_REGION_MISMATCH' },
  { name: 'foundation-model ARN in a disallowed region sent to an allowed one', ...converse(enc(fmArn('eu-west-3'))), region: 'eu-west-2', expect: 'ARN_REGION_MISMATCH' },
  { name: 'region-less foundation-model ARN (what global profiles authorize)', target: invoke(enc(fmArn(''))), region: 'us-east-1', expect: 'ARN_REGION_MISMATCH' },
  { name: 'inference-profile ARN us.', ...converse(enc(arn('us-east-1', `inference-profile/${US}`))), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'inference-profile ARN of another region (region swap)', ...converse(enc(arn('eu-west-3', `inference-profile/${US}`))), region: 'us-east-1', expect: 'ARN_REGION_MISMATCH' },
  { name: 'global. id hidden in an inference-profile ARN', ...converse(enc(arn('us-east-1', `inference-profile/${GLOBAL}`))), region: 'us-east-1', expect: 'GLOBAL_PROFILE_NOT_ALLOWED' },
  { name: 'global. id hidden in a foundation-model ARN', ...converse(enc(fmArn('us-east-1', GLOBAL))), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'eu. profile ARN of another region fails on its prefix first (rule 3 before rule 4)', target: invoke(enc(arn('eu-west-3', `inference-profile/${EU}`))), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'eu. id in an inference-profile ARN of an allowed region', target: invoke(enc(arn('us-east-1', `inference-profile/${EU}`))), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'US. id in an inference-profile ARN', target: invoke(enc(arn('us-east-1', `inference-profile/US.${FM}`))), region: 'us-east-1', expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'inference-profile ARN naming a plain foundation model', target: invoke(enc(arn('us-east-1', `inference-profile/${FM}`))), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'provisioned-model ARN', target: invoke(enc(arn('us-east-1', 'provisioned-model/abcdef123456'))), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'provisioned-model ARN of another region', target: invoke(enc(arn('us-west-2', 'provisioned-model/abcdef123456'))), region: 'us-east-1', expect: 'ARN_REGION_MISMATCH' },
  { name: 'imported-model ARN', target: invoke(enc(arn('us-west-2', 'imported-model/abcdef123456'))), region: 'us-west-2', expect: 'ALLOWED' },
  { name: 'custom-model-deployment ARN', ...converse(enc(arn('ca-central-1', 'custom-model-deployment/abcdef123456'))), region: 'ca-central-1', expect: 'ALLOWED' },
  { name: 'custom-model ARN', target: invoke(enc(arn('us-east-1', 'custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456'))), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'application-inference-profile ARN not listed', ...converse(enc(APP_PROFILE)), region: 'us-east-1', expect: 'MODEL_KIND_NOT_ALLOWED' },
  { name: 'application-inference-profile ARN listed in routedResources', ...converse(enc(APP_PROFILE)), region: 'us-east-1', allow: seedWith({ routedResources: [APP_PROFILE] }), expect: 'ALLOWED' },
  { name: 'listed application profile sent to another region', ...converse(enc(APP_PROFILE)), region: 'us-west-2', allow: seedWith({ routedResources: [APP_PROFILE] }), expect: 'ARN_REGION_MISMATCH' },
  { name: 'prompt ARN', ...converse(enc(arn('us-east-1', 'prompt/PROMPT1234:1'))), region: 'us-east-1', expect: 'MODEL_KIND_NOT_ALLOWED' },
  { name: 'prompt-router ARN', ...converse(enc(arn('us-east-1', 'prompt-router/abcdef123456'))), region: 'us-east-1', expect: 'MODEL_KIND_NOT_ALLOWED' },
  { name: 'default-prompt-router ARN', ...converse(enc(arn('us-east-1', 'default-prompt-router/anthropic.claude:1'))), region: 'us-east-1', expect: 'MODEL_KIND_NOT_ALLOWED' },
  { name: 'SageMaker endpoint ARN', ...converse(enc(arn('us-east-1', 'endpoint/my-endpoint', { service: 'sagemaker' }))), region: 'us-east-1', expect: 'MODEL_KIND_NOT_ALLOWED' },
  { name: 'GovCloud partition ARN', target: invoke(enc(`arn:aws-us-gov:bedrock:us-east-1::foundation-model/${FM}`)), region: 'us-east-1', expect: 'ARN_PARTITION_NOT_ALLOWED' },
  { name: 'China partition ARN', target: invoke(enc(`arn:aws-cn:bedrock:us-east-1::foundation-model/${FM}`)), region: 'us-east-1', expect: 'ARN_PARTITION_NOT_ALLOWED' },
  { name: 'ARN with a raw slash', target: invoke(arn('us-east-1', `inference-profile/${US}`)), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'ARN with an upper-case scheme', target: invoke(enc(`ARN:aws:bedrock:us-east-1::foundation-model/${FM}`)), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'ARN with a short account id', target: invoke(enc(arn('us-east-1', `inference-profile/${US}`, { account: '1234' }))), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'ARN of an unknown resource type', target: invoke(enc(arn('us-east-1', 'agent/abcdef123456'))), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'guardrail ARN where a model id goes', target: invoke(enc(GUARDRAIL_US_EAST_1)), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'async-invoke ARN where a model id goes', target: invoke(enc(ASYNC_US_EAST_1)), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'ARN with path traversal after the resource type', target: invoke(enc(arn('us-east-1', `inference-profile/../${GLOBAL}`))), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },

  // Encoding attacks
  { name: 'encoded slash in a plain id', target: invoke(`${US}%2F${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded slashes and dot segments in a plain id', target: invoke(`us.anthropic.x%2F..%2F${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'double-encoded slash (%252F)', target: invoke(`${US}%252F..%252F${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'double-encoded colon (%253A)', target: invoke(FM.replace(':', '%253A')), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'double-encoded prefix (%2575s.)', target: invoke(`%2575s.${FM}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded dot-dot label', target: invoke('%2e%2e'), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded single dot label', target: invoke('%2E'), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'raw dot segments in the path', target: `/model/${US}/../${GLOBAL}/invoke`, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'raw dot segment as the label', target: '/model/./invoke', region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'empty label', target: '/model//invoke', region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'trailing slash', target: `${invoke(FM)}/`, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'invalid escape %zz', target: invoke(`${FM}%zz`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'truncated escape at the end', target: invoke(`${FM}%3`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'overlong UTF-8 slash (%C0%AF)', target: invoke(`us.x%C0%AF${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded NUL', target: invoke(`${US}%00`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded newline', target: invoke(`${US}%0A${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'raw control character', target: invoke(`${US}\u0001`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded backslash', target: invoke(`${US}%5C..%5C${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'encoded space', target: invoke(`${US}%20`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'one-dot-leader homoglyph instead of a dot', target: invoke('us%E2%80%A4anthropic.x'), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'matrix parameter', target: invoke(`${US};${GLOBAL}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'empty dot segment inside the id', target: invoke('us..anthropic.x'), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'trailing dot', target: invoke('anthropic.claude.'), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'leading dot', target: invoke('.anthropic.claude'), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'model id of 2049 characters', target: invoke(`anthropic.${'a'.repeat(2039)}`), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'model id of exactly 2048 characters', target: invoke(`anthropic.${'a'.repeat(2038)}`), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'query parameter on InvokeModel', target: `${invoke(FM)}?region=eu-west-3`, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'fragment in the target', target: `${invoke(FM)}#x`, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'absolute-form target', target: `http://bedrock-runtime.eu-west-3.amazonaws.com${invoke(FM)}`, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },

  // Guardrails: path, header and Converse body
  { name: 'InvokeModel with a plain guardrail id header', target: invoke(FM), headers: { 'x-amzn-bedrock-guardrailidentifier': GUARDRAIL_ID }, region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'InvokeModel with a same-region guardrail ARN header', target: invoke(FM), headers: { 'x-amzn-bedrock-guardrailidentifier': GUARDRAIL_US_EAST_1 }, region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'InvokeModel with a guardrail ARN header of another region', target: invoke(US), headers: { 'x-amzn-bedrock-guardrailidentifier': GUARDRAIL_EU_WEST_3 }, region: 'us-east-1', expect: 'GUARDRAIL_REGION_MISMATCH' },
  { name: 'guardrail header name in mixed case', target: invoke(US), headers: { 'X-Amzn-Bedrock-GuardrailIdentifier': GUARDRAIL_EU_WEST_3 }, region: 'us-east-1', expect: 'GUARDRAIL_REGION_MISMATCH' },
  { name: 'InvokeModelWithResponseStream guardrail header of another region', target: `/model/${enc(US)}/invoke-with-response-stream`, headers: { 'x-amzn-bedrock-guardrailidentifier': GUARDRAIL_EU_WEST_3 }, region: 'us-east-1', expect: 'GUARDRAIL_REGION_MISMATCH' },
  { name: 'guardrail header sent twice', target: invoke(FM), headers: { 'x-amzn-bedrock-guardrailidentifier': [GUARDRAIL_ID, GUARDRAIL_EU_WEST_3] }, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'guardrail header that is neither id nor ARN', target: invoke(FM), headers: { 'x-amzn-bedrock-guardrailidentifier': 'Not A Guardrail' }, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'guardrail header naming a model ARN', target: invoke(FM), headers: { 'x-amzn-bedrock-guardrailidentifier': fmArn('us-east-1') }, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'Converse with a plain guardrail id in the body', ...converse(enc(US)), body: json({ messages: [], guardrailConfig: { guardrailIdentifier: GUARDRAIL_ID, guardrailVersion: '1' } }), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'Converse with a guardrail ARN of another region in the body', ...converse(enc(US)), body: json({ messages: [], guardrailConfig: { guardrailIdentifier: GUARDRAIL_EU_WEST_3, guardrailVersion: '1' } }), region: 'us-east-1', expect: 'GUARDRAIL_REGION_MISMATCH' },
  { name: 'ConverseStream with a guardrail ARN of another region in the body', target: `/model/${enc(US)}/converse-stream`, body: json({ messages: [], guardrailConfig: { guardrailIdentifier: GUARDRAIL_EU_WEST_3, guardrailVersion: '1', streamProcessingMode: 'sync' } }), region: 'us-east-1', expect: 'GUARDRAIL_REGION_MISMATCH' },
  { name: 'Converse with a null guardrailConfig', ...converse(enc(US)), body: json({ messages: [], guardrailConfig: null }), region: 'us-east-1', expect: 'ALLOWED' },
  { name: 'Converse with a numeric guardrail identifier', ...converse(enc(US)), body: json({ messages: [], guardrailConfig: { guardrailIdentifier: 42 } }), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'Converse with two guardrailIdentifier keys', ...converse(enc(US)), body: `{"messages":[],"guardrailConfig":{"guardrailIdentifier":"${GUARDRAIL_ID}","guardrailIdentifier":"${GUARDRAIL_EU_WEST_3}"}}`, region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'Converse with a case-variant GuardrailConfig key', ...converse(enc(US)), body: json({ messages: [], GuardrailConfig: { guardrailIdentifier: GUARDRAIL_EU_WEST_3 } }), region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'Converse with a body that is not JSON', ...converse(enc(US)), body: 'messages=hello', region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'Converse with a JSON array body', ...converse(enc(US)), body: '[]', region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'Converse with an empty body', ...converse(enc(US)), body: '', region: 'us-east-1', expect: 'MALFORMED_REQUEST' },
  { name: 'ApplyGuardrail is not a default operation', target: `/guardrail/${GUARDRAIL_ID}/version/1/apply`, body: '{}', region: 'us-east-1', expect: 'OPERATION_NOT_ALLOWED' },
  { name: 'ApplyGuardrail with a plain id', target: `/guardrail/${GUARDRAIL_ID}/version/DRAFT/apply`, body: '{}', region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'ApplyGuardrail with an encoded same-region guardrail ARN', target: `/guardrail/${enc(GUARDRAIL_US_EAST_1)}/version/3/apply`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'ApplyGuardrail with a guardrail ARN of another region', target: `/guardrail/${enc(GUARDRAIL_EU_WEST_3)}/version/1/apply`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'GUARDRAIL_REGION_MISMATCH' },
  { name: 'ApplyGuardrail with a raw slash in the guardrail ARN', target: `/guardrail/${GUARDRAIL_EU_WEST_3}/version/1/apply`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'ApplyGuardrail with a zero-padded version', target: `/guardrail/${GUARDRAIL_ID}/version/01/apply`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },

  // Async invocations
  { name: 'StartAsyncInvoke is not a default operation', target: '/async-invoke', body: json({ modelId: US }), region: 'us-east-1', expect: 'OPERATION_NOT_ALLOWED' },
  { name: 'StartAsyncInvoke with an allowed profile in the body', target: '/async-invoke', body: json({ modelId: US, modelInput: {}, outputDataConfig: {} }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'StartAsyncInvoke body naming an eu. profile', target: '/async-invoke', body: json({ modelId: EU, modelInput: {} }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { name: 'StartAsyncInvoke body naming a global. profile', target: '/async-invoke', body: json({ modelId: GLOBAL }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'GLOBAL_PROFILE_NOT_ALLOWED' },
  { name: 'StartAsyncInvoke body naming a profile ARN of another region', target: '/async-invoke', body: json({ modelId: arn('eu-west-3', `inference-profile/${US}`) }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ARN_REGION_MISMATCH' },
  { name: 'StartAsyncInvoke body without modelId', target: '/async-invoke', body: json({ modelInput: {} }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'StartAsyncInvoke body that is not JSON', target: '/async-invoke', body: `{"modelId":"${US}"`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'StartAsyncInvoke body with two modelId keys', target: '/async-invoke', body: `{"modelId":"${US}","modelId":"${GLOBAL}"}`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'StartAsyncInvoke body repeating modelId through a unicode escape', target: '/async-invoke', body: `{"modelId":"${US}","model\\u0049d":"${GLOBAL}"}`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'StartAsyncInvoke body with a percent-encoded modelId', target: '/async-invoke', body: json({ modelId: enc(US) }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'StartAsyncInvoke body with a numeric modelId', target: '/async-invoke', body: json({ modelId: 7 }), region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'GetAsyncInvoke with an encoded same-region ARN', method: 'GET', target: `/async-invoke/${enc(ASYNC_US_EAST_1)}`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'GetAsyncInvoke with an ARN of another region', method: 'GET', target: `/async-invoke/${enc(arn('eu-west-3', 'async-invoke/abcdef123456'))}`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ARN_REGION_MISMATCH' },
  { name: 'GetAsyncInvoke with a raw slash in the ARN', method: 'GET', target: `/async-invoke/${ASYNC_US_EAST_1}`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'GetAsyncInvoke with something that is not an ARN', method: 'GET', target: '/async-invoke/abcdef123456', region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'ListAsyncInvokes with known parameters', method: 'GET', target: '/async-invoke?statusEquals=Completed&maxResults=10', region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'ListAsyncInvokes with an unknown parameter', method: 'GET', target: '/async-invoke?region=eu-west-3', region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'ListAsyncInvokes in a region outside the allowlist', method: 'GET', target: '/async-invoke', region: 'eu-west-3', allow: SEED_ALL_OPERATIONS, expect: 'REGION_NOT_ALLOWED' },

  // Other operations
  { name: 'InvokeModelWithResponseStream with a us. profile', target: `/model/${enc(US)}/invoke-with-response-stream`, region: 'us-west-2', expect: 'ALLOWED' },
  { name: 'ConverseStream with a global. profile', target: `/model/${enc(GLOBAL)}/converse-stream`, body: '{}', region: 'us-east-1', expect: 'GLOBAL_PROFILE_NOT_ALLOWED' },
  { name: 'CountTokens is not a default operation', target: `/model/${enc(FM)}/count-tokens`, body: '{}', region: 'us-east-1', expect: 'OPERATION_NOT_ALLOWED' },
  { name: 'CountTokens with a foundation model', target: `/model/${enc(FM)}/count-tokens`, body: '{}', region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'CountTokens with a model id over its 256-character limit', target: `/model/anthropic.${'a'.repeat(247)}/count-tokens`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'MALFORMED_REQUEST' },
  { name: 'InvokeModelWithBidirectionalStream is not a default operation', target: `/model/${enc(FM)}/invoke-with-bidirectional-stream`, region: 'us-east-1', expect: 'OPERATION_NOT_ALLOWED' },
  { name: 'InvokeModelWithBidirectionalStream, once allowed, with a foundation model', target: `/model/${enc(FM)}/invoke-with-bidirectional-stream`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },
  { name: 'InvokeModelWithBidirectionalStream, once allowed, in a region outside the allowlist', target: `/model/${enc(FM)}/invoke-with-bidirectional-stream`, region: 'eu-west-3', allow: SEED_ALL_OPERATIONS, expect: 'REGION_NOT_ALLOWED' },
  { name: 'InvokeModelWithBidirectionalStream, once allowed, with a global. profile', target: `/model/${enc(GLOBAL)}/invoke-with-bidirectional-stream`, region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'GLOBAL_PROFILE_NOT_ALLOWED' },
  { name: 'InvokeGuardrailChecks', target: '/guardrail-checks/invoke', body: '{}', region: 'us-east-1', allow: SEED_ALL_OPERATIONS, expect: 'ALLOWED' },

  // Unknown operations
  { name: 'GET on a model path', method: 'GET', target: invoke(FM), region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },
  { name: 'unknown model action', target: `/model/${FM}/fine-tune`, region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },
  { name: 'bedrock-agent-runtime GenerateQuery stays unknown', target: '/generateQuery', body: '{}', region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },
  { name: 'bedrock-agent-runtime Rerank is off by default', target: '/rerank', body: JSON.stringify({ rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL', bedrockRerankingConfiguration: { modelConfiguration: { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.rerank-v1:0' } } } }), region: 'us-east-1', expect: 'OPERATION_NOT_ALLOWED' },
  { name: 'root path', method: 'GET', target: '/', region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },
  { name: 'DELETE on async-invoke', method: 'DELETE', target: '/async-invoke', region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },
  { name: 'upper-case Model segment', target: `/Model/${FM}/invoke`, region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },
  { name: 'control plane GetInferenceProfile path', method: 'GET', target: `/inference-profiles/${enc(US)}`, region: 'us-east-1', expect: 'UNKNOWN_OPERATION' },

  // Other allowlists
  { name: 'eu. from eu-west-2 when every eu destination is allowed', ...converse(enc(EU)), body: '{}', region: 'eu-west-2', allow: seedWith({ regions: EU_REGIONS, inferenceProfilePrefixes: ['eu'] }), expect: 'ALLOWED' },
  { name: 'eu. from eu-west-2 with only the UK allowed', ...converse(enc(EU)), body: '{}', region: 'eu-west-2', allow: seedWith({ inferenceProfilePrefixes: ['us', 'eu'] }), expect: 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST' },
  { name: 'global. listed is allowed: the operator chose it (and acknowledged the finding)', target: invoke(GLOBAL), region: 'us-east-1', allow: seedWith({ inferenceProfilePrefixes: ['us', 'global'] }), expect: 'ALLOWED' },
  { name: 'au. from Melbourne', target: invoke(`au.${FM}`), region: 'ap-southeast-4', allow: seedWith({ inferenceProfilePrefixes: ['us', 'au'] }), expect: 'ALLOWED' },
  { name: 'au. sent to us-east-1 (not callable there)', target: invoke(`au.${FM}`), region: 'us-east-1', allow: seedWith({ inferenceProfilePrefixes: ['us', 'au'] }), expect: 'PROFILE_PREFIX_NOT_ALLOWED' },
  {
    name: 'us-gov. profile ARN in GovCloud',
    target: invoke(enc(`arn:aws-us-gov:bedrock:us-gov-west-1:${ACCOUNT}:inference-profile/us-gov.${FM}`)),
    region: 'us-gov-west-1',
    allow: { regions: ['us-gov-west-1', 'us-gov-east-1'], inferenceProfilePrefixes: ['us-gov'], operations: ['InvokeModel'], partitions: ['aws-us-gov'], routedResources: [] },
    expect: 'ALLOWED'
  },
  { name: 'operation narrowed to Converse refuses InvokeModel', target: invoke(FM), region: 'us-east-1', allow: seedWith({ operations: ['Converse'] }), expect: 'OPERATION_NOT_ALLOWED' }
]

t.ok(cases.length >= 80, `at least 80 request cases (${cases.length})`)

for (const testCase of cases) {
  t.test(testCase.name, async (t) => {
    const decision = decideRequest(testCase, testCase.allow ?? SEED_ALLOW)
    t.equal(decision.reason, testCase.expect, decision.message)
    t.equal(decision.allowed, testCase.expect === 'ALLOWED')
    t.notMatch(decision.message, /[\r\n]/, 'the message is one line')
  })
}

t.test('a refusal for routing outside the allowlist names the source and every outside region', async (t) => {
  const decision = decideRequest({ ...converse(enc(EU)), region: 'eu-west-2' }, seedWith({ inferenceProfilePrefixes: ['us', 'eu'] }))
  t.equal(decision.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(decision.message, `"${EU}" called from eu-west-2 can run in`)
  for (const region of ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3']) t.match(decision.message, region)
  t.notMatch(decision.message, /eu-west-2,|eu-west-2$/, 'the allowed source region is not listed as outside')
})

t.test('a refusal never quotes the request body', async (t) => {
  const secret = 'SECRET-PROMPT-TEXT'
  const notJson = decideRequest({ ...converse(enc(US)), body: `{"messages":"${secret}"`, region: 'us-east-1' }, SEED_ALLOW)
  t.equal(notJson.reason, 'MALFORMED_REQUEST')
  t.notMatch(notJson.message, secret)
  const badGuardrail = decideRequest({
    ...converse(enc(US)),
    body: json({ messages: [{ role: 'user', content: [{ text: secret }] }], guardrailConfig: { guardrailIdentifier: GUARDRAIL_EU_WEST_3 } }),
    region: 'us-east-1'
  }, SEED_ALLOW)
  t.equal(badGuardrail.reason, 'GUARDRAIL_REGION_MISMATCH')
  t.notMatch(badGuardrail.message, secret)
})

t.test('a refusal shows an overlong or binary value shortened, escaped, on one line', async (t) => {
  const decision = decideRequest({ target: invoke(`${'%0A'.repeat(500)}x.y`), region: 'us-east-1' }, SEED_ALLOW)
  t.equal(decision.reason, 'MALFORMED_REQUEST')
  t.ok(decision.message.length < 400, `short message (${decision.message.length} characters)`)
  t.notMatch(decision.message, /[^\x20-\x7e]/, 'printable ASCII only')
})

t.test('facts built outside understandRequest are still checked', async (t) => {
  const usProfile = { kind: 'inference-profile', text: US, prefix: 'us' } as const
  t.equal(decide({ operation: 'Converse', region: 'us-east-1', identifiers: [] }, SEED_ALLOW).reason, 'MALFORMED_REQUEST',
    'a model operation without its model id')
  t.equal(decide({ operation: 'Converse', region: 'us-east-1', identifiers: [{ location: 'body.modelId', id: usProfile }] }, SEED_ALLOW).reason,
    'MALFORMED_REQUEST', 'an identifier where the operation has none')
  const unknownOperation = { operation: 'DeleteEverything', region: 'us-east-1', identifiers: [] } as unknown as Parameters<typeof decide>[0]
  t.equal(decide(unknownOperation, SEED_ALLOW).reason, 'UNKNOWN_OPERATION')
  t.equal(decide({ operation: 'Converse', region: 'us-east-1', identifiers: [{ location: 'path.modelId', id: usProfile }] }, SEED_ALLOW).reason,
    'ALLOWED')
})

t.test('the engine decides on the catalog it is given', async (t) => {
  const widened = parseCatalog({
    date: '2026-11-27',
    source: 'test: us profiles from us-east-1 now also reach eu-west-1',
    prefixes: { us: { sources: { 'us-east-1': ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'] } } }
  })
  const request = { target: invoke(US), region: 'us-east-1' }
  t.equal(decideRequest(request, SEED_ALLOW).reason, 'ALLOWED', 'the shipped catalog keeps us. in the US')
  const decision = decideRequest(request, SEED_ALLOW, widened)
  t.equal(decision.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(decision.message, 'eu-west-1')
  t.equal(decideRequest({ target: invoke(US), region: 'us-west-2' }, SEED_ALLOW, widened).reason, 'PROFILE_PREFIX_NOT_ALLOWED',
    'a source the catalog does not list cannot call the prefix')
})
