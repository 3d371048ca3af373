import type { PromptRouterDescription } from '../bedrock/index.ts'
import { modelArnField, modelArnsField, objectField, stringField } from './answer-fields.ts'

/** A GetPromptRouter answer. Throws naming the bad field. */
export function parsePromptRouter (json: unknown): PromptRouterDescription {
  const field = 'answer'
  const record = objectField(json, field)
  return {
    promptRouterArn: stringField(record, 'promptRouterArn', field),
    promptRouterName: stringField(record, 'promptRouterName', field),
    modelArns: modelArnsField(record, field),
    fallbackModelArn: modelArnField(record.fallbackModel, `${field}.fallbackModel`)
  }
}
