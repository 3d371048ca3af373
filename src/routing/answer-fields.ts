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
