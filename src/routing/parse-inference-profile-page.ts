import type { InferenceProfileDescription } from '../bedrock/index.ts'
import { arrayField, objectField, optionalStringField } from './answer-fields.ts'
import { parseInferenceProfile } from './parse-inference-profile.ts'

export interface InferenceProfilePage {
  readonly profiles: readonly InferenceProfileDescription[]
  readonly nextToken?: string
}

/** One ListInferenceProfiles answer. Throws naming the bad field. */
export function parseInferenceProfilePage (json: unknown): InferenceProfilePage {
  const field = 'answer'
  const record = objectField(json, field)
  const summaries = record.inferenceProfileSummaries === undefined ? [] : arrayField(record, 'inferenceProfileSummaries', field)
  const profiles = summaries.map((summary, index) => parseInferenceProfile(summary, `${field}.inferenceProfileSummaries[${index}]`))
  const nextToken = optionalStringField(record, 'nextToken', field)
  return nextToken === undefined ? { profiles } : { profiles, nextToken }
}
