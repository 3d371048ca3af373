import type { ArnResourceType, ParsedArn, ResourceIdentifier } from './identifier-types.ts'
import { isRegionName } from './regions.ts'
import { quoteValue } from './quote-value.ts'

export type ArnParse = { readonly ok: true; readonly arn: ParsedArn } | { readonly ok: false; readonly message: string }

export const ARN_SCHEME = 'arn'
/** How every ARN starts. */
export const ARN_PREFIX_TEXT = `${ARN_SCHEME}:`
const ARN_FIELD_SEPARATOR = ':'
const RESOURCE_TYPE_SEPARATOR = '/'
/** arn, partition, service, region, account; the resource is everything after the fifth separator. */
const ARN_HEADER_FIELDS = 5

const PARTITION = /^aws(-[a-z]+)*$/
const ACCOUNT_ID = /^\d{12}$/
/** Dot-separated id without empty segments (`anthropic.claude-v2:1`, `us.anthropic.claude-3-5-sonnet-20241022-v2:0`). */
const DOTTED_ID = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)+$/
const OPTIONALLY_DOTTED_ID = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/
const GENERATED_ID = /^[a-z0-9]{12}$/

interface ResourceRule {
  readonly service: 'bedrock' | 'sagemaker'
  readonly id: RegExp
  /** AWS-owned resources have no account in their ARN. */
  readonly accountless?: true
  /** Only the foundation-model ARN that global profiles authorize against may lack a region. */
  readonly regionOptional?: true
}

/** Resource id shapes from the service model's patterns. */
const RESOURCE_RULES: Readonly<Record<ArnResourceType, ResourceRule>> = {
  'foundation-model': { service: 'bedrock', id: DOTTED_ID, accountless: true, regionOptional: true },
  'inference-profile': { service: 'bedrock', id: DOTTED_ID },
  'application-inference-profile': { service: 'bedrock', id: GENERATED_ID },
  'provisioned-model': { service: 'bedrock', id: GENERATED_ID },
  'imported-model': { service: 'bedrock', id: GENERATED_ID },
  'custom-model-deployment': { service: 'bedrock', id: GENERATED_ID },
  'custom-model': { service: 'bedrock', id: /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)+\/[a-z0-9]{12}$/ },
  prompt: { service: 'bedrock', id: /^[0-9a-zA-Z]{10}(:\d{1,5})?$/ },
  'default-prompt-router': { service: 'bedrock', id: OPTIONALLY_DOTTED_ID },
  'prompt-router': { service: 'bedrock', id: OPTIONALLY_DOTTED_ID },
  guardrail: { service: 'bedrock', id: /^[a-z0-9]+$/ },
  'async-invoke': { service: 'bedrock', id: GENERATED_ID },
  endpoint: { service: 'sagemaker', id: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/ },
  // bedrock-agent-runtime's patterns: ids of ten letters and digits.
  'knowledge-base': { service: 'bedrock', id: /^[0-9a-zA-Z]{10}$/ },
  agent: { service: 'bedrock', id: /^[0-9a-zA-Z]{10}$/ },
  'agent-alias': { service: 'bedrock', id: /^[0-9a-zA-Z]{10}\/[0-9a-zA-Z]{10}$/ },
  flow: { service: 'bedrock', id: /^[0-9a-zA-Z]{10}$/ },
  'flow-alias': { service: 'bedrock', id: /^[0-9a-zA-Z]{10}\/alias\/[0-9a-zA-Z]{10}$/ }
}

/** A flow alias's ARN is of type `flow` (`flow/FLOWID/alias/ALIASID`); the gateway tells it apart as `flow-alias`. */
const FLOW_TYPE = 'flow'
const FLOW_ALIAS_TYPE = 'flow-alias'
const FLOW_ALIAS_MARK = '/alias/'

/**
 * Parses an ARN of any type bedrock-runtime accepts, checking each field's syntax and the resource id's shape for its
 * type. Whether the type fits where the ARN was found is the caller's concern.
 */
export function parseArn (text: string): ArnParse {
  const fields = splitArn(text)
  if (fields === undefined) return malformed(text, 'is not an ARN')
  const [scheme, partition, service, region, account, resource] = fields
  if (scheme !== ARN_SCHEME) return malformed(text, 'is not an ARN')
  if (!PARTITION.test(partition)) return malformed(text, `has an invalid partition ${quoteValue(partition)}`)
  const typeEnd = resource.indexOf(RESOURCE_TYPE_SEPARATOR)
  const writtenType = typeEnd === -1 ? resource : resource.slice(0, typeEnd)
  const resourceType = writtenType === FLOW_TYPE && resource.includes(FLOW_ALIAS_MARK) ? FLOW_ALIAS_TYPE : writtenType
  if (writtenType === FLOW_ALIAS_TYPE || !isResourceType(resourceType)) {
    return malformed(text, `has an unsupported resource type ${quoteValue(writtenType)}`)
  }
  const rule = RESOURCE_RULES[resourceType]
  if (service !== rule.service) return malformed(text, `names service ${quoteValue(service)}, expected ${rule.service} for ${resourceType}`)
  if (!(isRegionName(region) || (rule.regionOptional === true && region === ''))) {
    return malformed(text, `has an invalid region ${quoteValue(region)}`)
  }
  if (rule.accountless === true ? account !== '' : !ACCOUNT_ID.test(account)) {
    return malformed(text, `has an invalid account ${quoteValue(account)}`)
  }
  const resourceId = typeEnd === -1 ? '' : resource.slice(typeEnd + 1)
  if (!rule.id.test(resourceId)) return malformed(text, `has an invalid ${resourceType} id ${quoteValue(resourceId)}`)
  return { ok: true, arn: { partition, service, region, account, resourceType, resourceId, text } }
}

function splitArn (text: string): [string, string, string, string, string, string] | undefined {
  const fields: string[] = []
  let start = 0
  for (let i = 0; i < ARN_HEADER_FIELDS; i++) {
    const end = text.indexOf(ARN_FIELD_SEPARATOR, start)
    if (end === -1) return undefined
    fields.push(text.slice(start, end))
    start = end + 1
  }
  const [scheme = '', partition = '', service = '', region = '', account = ''] = fields
  return [scheme, partition, service, region, account, text.slice(start)]
}

function isResourceType (text: string): text is ArnResourceType {
  return Object.hasOwn(RESOURCE_RULES, text)
}

function malformed (text: string, problem: string): ArnParse {
  return { ok: false, message: `ARN ${quoteValue(text)} ${problem}` }
}

export type AsyncInvokeArnParse = { readonly ok: true; readonly id: ResourceIdentifier } | { readonly ok: false; readonly message: string }

/** GetAsyncInvoke's invocationArn (`arn:aws:bedrock:<region>:<account>:async-invoke/<12 chars>`), already decoded. */
export function parseAsyncInvokeArn (text: string): AsyncInvokeArnParse {
  const parsed = parseArn(text)
  if (!parsed.ok) return parsed
  if (parsed.arn.resourceType !== 'async-invoke') {
    return { ok: false, message: `invocation ARN ${quoteValue(text)} is of resource type ${parsed.arn.resourceType}, not async-invoke` }
  }
  return { ok: true, id: { kind: 'arn', text, arn: parsed.arn } }
}
