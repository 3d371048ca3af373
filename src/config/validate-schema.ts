import { Ajv, type ValidateFunction } from 'ajv'
import { CONFIG_SCHEMA, type RawConfig } from './schema.ts'
import { schemaProblems } from './schema-problems.ts'

export type SchemaCheck =
  | { readonly ok: true; readonly config: RawConfig }
  | { readonly ok: false; readonly problems: readonly string[] }

let compiled: ValidateFunction<RawConfig> | undefined

/**
 * Compiled on first use, not at import: compiling costs ~130 ms, which every CLI command that imports this module
 * (keygen, --help) would otherwise pay without ever loading a config.
 */
function configValidator (): ValidateFunction<RawConfig> {
  if (compiled === undefined) {
    /** `verbose` keeps each failing value and schema on the error, which the messages quote. */
    const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, verbose: true })
    compiled = ajv.compile<RawConfig>(CONFIG_SCHEMA)
  }
  return compiled
}

/** Validates the document in place, filling in every default. */
export function validateSchema (document: unknown): SchemaCheck {
  const validate = configValidator()
  if (validate(document)) return { ok: true, config: document }
  return { ok: false, problems: schemaProblems(validate.errors ?? []) }
}
