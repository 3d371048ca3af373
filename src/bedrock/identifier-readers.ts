import type { IdentifierLocation, ResourceIdentifier } from './identifier-types.ts'
import type { OperationSpec } from './operation-spec.ts'
import type { JsonBody } from './json-body.ts'
import { type RequestHeaders, singleHeaderValue } from './headers.ts'
import { checkModelIdText, parseModelId } from './model-id.ts'
import { parseGuardrailIdentifier } from './guardrail-id.ts'
import { parseAsyncInvokeArn } from './arn.ts'
import { quoteValue } from './quote-value.ts'
import { AGENT_RUNTIME_READERS } from './agent-runtime-identifiers.ts'

/** What identifier readers need from the request; labels are already percent-decoded and checked. */
export interface IdentifierSources {
  readonly spec: OperationSpec
  readonly labels: ReadonlyMap<string, string>
  readonly headers: RequestHeaders
  /** Parsed on first use, once, and only for operations that carry identifiers in their body. */
  readonly body: () => JsonBody
}

export type IdentifierRead =
  /** `ids` when a location inside a list named several. */
  | { readonly ok: true; readonly id?: ResourceIdentifier; readonly ids?: readonly ResourceIdentifier[] }
  | { readonly ok: false; readonly reason: 'MALFORMED_REQUEST' | 'MODEL_KIND_NOT_ALLOWED'; readonly message: string }

type Reader = (sources: IdentifierSources) => IdentifierRead

const GUARDRAIL_HEADER = 'x-amzn-bedrock-guardrailidentifier'
/** An optional identifier that is absent. */
const NOTHING_READ: IdentifierRead = { ok: true }

/** How each identifier location is found and parsed. Required ones are refused when missing. */
export const IDENTIFIER_READERS: Readonly<Record<IdentifierLocation, Reader>> = {
  'path.modelId': (sources) => modelId(sources.labels.get('modelId')),
  'path.guardrailIdentifier': (sources) => guardrail(sources.labels.get('guardrailIdentifier')),
  'path.invocationArn': (sources) => invocationArn(sources.labels.get('invocationArn')),
  'body.modelId': (sources) => fromBody(sources, ['modelId'], true, (text) => bodyModelId(sources, text)),
  // The OpenAI- and Anthropic-shaped bodies of the runtime's /openai/v1 paths and of bedrock-mantle.
  'body.model': (sources) => fromBody(sources, ['model'], true, (text) => bodyModelId(sources, text)),
  'body.guardrailConfig.guardrailIdentifier': (sources) => fromBody(sources, ['guardrailConfig', 'guardrailIdentifier'], false, guardrail),
  'header.x-amzn-bedrock-guardrailidentifier': (sources) => {
    const header = singleHeaderValue(sources.headers, GUARDRAIL_HEADER)
    if (!header.ok) return malformed(header.message)
    return header.value === undefined ? NOTHING_READ : guardrail(header.value)
  },
  ...AGENT_RUNTIME_READERS
}

function modelId (text: string | undefined): IdentifierRead {
  if (text === undefined) return malformed('model id is missing')
  const parsed = parseModelId(text)
  return parsed.ok ? parsed : { ok: false, reason: parsed.reason, message: parsed.message }
}

/** A model id from a JSON body: JSON already decoded it, so it is checked as it is and never decoded again. */
function bodyModelId (sources: IdentifierSources, text: string): IdentifierRead {
  const checked = checkModelIdText(text, sources.spec.modelIdMaxLength)
  return checked.ok ? modelId(checked.text) : malformed(checked.message)
}

function guardrail (text: string | undefined): IdentifierRead {
  if (text === undefined) return malformed('guardrail identifier is missing')
  const parsed = parseGuardrailIdentifier(text)
  return parsed.ok ? parsed : malformed(parsed.message)
}

function invocationArn (text: string | undefined): IdentifierRead {
  if (text === undefined) return malformed('invocation ARN is missing')
  const parsed = parseAsyncInvokeArn(text)
  return parsed.ok ? parsed : malformed(parsed.message)
}

/** A string member of the JSON body; JSON null counts as absent, as it does for the service. */
function fromBody (sources: IdentifierSources, path: readonly string[], required: boolean, read: (text: string) => IdentifierRead): IdentifierRead {
  const body = sources.body()
  if (!body.ok) return malformed(body.message)
  let value: unknown = body.value
  for (const key of path) {
    if (value === undefined || value === null) break
    if (typeof value !== 'object' || Array.isArray(value)) return malformed(`request body member ${quoteValue(key)} is inside a non-object`)
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
  }
  if (value === undefined || value === null) return required ? malformed(`request body has no ${path.join('.')}`) : NOTHING_READ
  if (typeof value !== 'string') return malformed(`request body member ${path.join('.')} is not a string`)
  return read(value)
}

function malformed (message: string): IdentifierRead {
  return { ok: false, reason: 'MALFORMED_REQUEST', message }
}
