import type { ResourceIdentifier } from './identifier-types.ts'
import { parseArn } from './arn.ts'
import { quoteValue } from './quote-value.ts'

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
