import type { InferenceProfileDescription, InferenceProfileType, PromptRouterDescription } from '../bedrock/index.ts'

/**
 * Field readers for control-plane answers. Each throws an Error naming the field and what was expected there, never
 * quoting the value (it came from the network and goes into a message a caller may see).
 */

export function objectField (json: unknown, field: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${field} is not an object`)
  return json as Record<string, unknown>
}

export function stringField (record: Record<string, unknown>, key: string, field: string): string {
  const value = record[key]
  if (typeof value !== 'string' || value === '') throw new Error(`${field}.${key} is not a non-empty string`)
  return value
}

export function optionalStringField (record: Record<string, unknown>, key: string, field: string): string | undefined {
  return record[key] === undefined ? undefined : stringField(record, key, field)
}

export function arrayField (record: Record<string, unknown>, key: string, field: string): readonly unknown[] {
  const value = record[key]
  if (!Array.isArray(value)) throw new Error(`${field}.${key} is not a list`)
  return value
}

/** `{ "modelArn": "..." }`, the shape of every model reference in these answers. */
export function modelArnField (json: unknown, field: string): string {
  return stringField(objectField(json, field), 'modelArn', field)
}

/** `models: [{ modelArn }, ...]`, at least one. */
export function modelArnsField (record: Record<string, unknown>, field: string): readonly string[] {
  const models = arrayField(record, 'models', field)
  if (models.length === 0) throw new Error(`${field}.models is empty`)
  return models.map((model, index) => modelArnField(model, `${field}.models[${index}]`))
}

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
