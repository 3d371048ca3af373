import { Ajv } from 'ajv'
import { CONFIG_SCHEMA, type RawConfig } from './schema.ts'
import { schemaProblems } from './schema-problems.ts'

/** `verbose` keeps each failing value and schema on the error, which the messages quote. */
const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, verbose: true })
const validate = ajv.compile<RawConfig>(CONFIG_SCHEMA)

export type SchemaCheck =
  | { readonly ok: true; readonly config: RawConfig }
  | { readonly ok: false; readonly problems: readonly string[] }

/** Validates the document in place, filling in every default. */
export function validateSchema (document: unknown): SchemaCheck {
  if (validate(document)) return { ok: true, config: document }
  return { ok: false, problems: schemaProblems(validate.errors ?? []) }
}
