import type { InferenceProfileDescription, InferenceProfileType } from '../bedrock/index.ts'
import { modelArnsField, objectField, stringField } from './answer-fields.ts'

const PROFILE_TYPES: ReadonlySet<string> = new Set<InferenceProfileType>(['SYSTEM_DEFINED', 'APPLICATION'])

/** A GetInferenceProfile answer, or one ListInferenceProfiles summary (the same fields). Throws naming the bad field. */
export function parseInferenceProfile (json: unknown, field = 'answer'): InferenceProfileDescription {
  const record = objectField(json, field)
  const type = stringField(record, 'type', field)
  if (!PROFILE_TYPES.has(type)) throw new Error(`${field}.type is neither SYSTEM_DEFINED nor APPLICATION`)
  return {
    inferenceProfileId: stringField(record, 'inferenceProfileId', field),
    inferenceProfileArn: stringField(record, 'inferenceProfileArn', field),
    inferenceProfileName: stringField(record, 'inferenceProfileName', field),
    type: type as InferenceProfileType,
    status: stringField(record, 'status', field),
    modelArns: modelArnsField(record, field)
  }
}
