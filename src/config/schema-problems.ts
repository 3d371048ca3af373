import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { CONFIG_SCHEMA, type RawConfig } from './schema.ts'
import { formatPath, pointerToPath, shownValue, type ValuePath } from './problem-text.ts'

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

/** Enumerations this short are listed in full when no single value looks like the intended one. */
const LONGEST_LISTED_CHOICES = 8

interface DescribedSchema {
  readonly description?: string
  readonly properties?: Readonly<Record<string, DescribedSchema>>
}

function described (schema: unknown): DescribedSchema {
  return (schema ?? {}) as DescribedSchema
}

function expected (schema: unknown): string {
  return described(schema).description ?? 'a valid value'
}

function suggestion (value: unknown, choices: readonly string[]): string {
  const guess = typeof value === 'string' ? closestMatch(value, choices) : undefined
  if (guess !== undefined) return ` (did you mean ${guess}?)`
  return choices.length <= LONGEST_LISTED_CHOICES ? ` (expected one of ${choices.join(', ')})` : ''
}

/** One line per ajv error: the path, the value found, and what the schema expected there. */
function problemFor (error: ErrorObject): string {
  const path: ValuePath = pointerToPath(error.instancePath)
  const where = formatPath(path)
  const found = shownValue(where, error.data)
  const params = error.params as Record<string, unknown>

  switch (error.keyword) {
    case 'type':
    case 'pattern':
      return `${where}: ${found} is not ${expected(error.parentSchema)}`
    case 'enum':
      return `${where}: ${found} is not ${expected(error.parentSchema)}` +
        suggestion(error.data, params.allowedValues as string[])
    case 'required': {
      const key = params.missingProperty as string
      const child = described(error.parentSchema).properties?.[key]
      return `${formatPath([...path, key])}: is missing (expected ${expected(child)})`
    }
    case 'additionalProperties': {
      const key = params.additionalProperty as string
      const known = Object.keys(described(error.parentSchema).properties ?? {})
      const guess = closestMatch(key, known)
      const hint = guess === undefined ? `expected one of ${known.join(', ')}` : `did you mean ${guess}?`
      return `${formatPath([...path, key])}: unknown key (${hint})`
    }
    case 'uniqueItems': {
      const [later, earlier] = [params.i as number, params.j as number].sort((a, b) => b - a)
      const entry = formatPath([...path, later!])
      return `${entry}: ${shownValue(entry, (error.data as unknown[])[later!])} is listed twice (also at [${earlier!}])`
    }
    case 'minItems':
      return `${where}: ${found} is empty (expected ${expected(error.parentSchema)} with at least one entry)`
    case 'minLength':
      return `${where}: ${found} is empty (expected ${expected(error.parentSchema)})`
    case 'minimum':
    case 'maximum':
      return `${where}: ${found} is out of range (expected ${expected(error.parentSchema)} ` +
        `${params.comparison as string} ${params.limit as number})`
    case 'dependencies':
      return `${formatPath([...path, params.property as string])}: needs ` +
        `${formatPath([...path, params.missingProperty as string])} as well`
    default:
      return `${where}: ${found} ${error.message ?? 'is not valid'}`
  }
}

/** An `if` failure only says a branch failed; the branch's own errors say what is wrong, so only those are shown. */
const SUMMARY_KEYWORDS: ReadonlySet<string> = new Set(['if'])

export function schemaProblems (errors: readonly ErrorObject[]): string[] {
  return [...new Set(errors.filter((error) => !SUMMARY_KEYWORDS.has(error.keyword)).map(problemFor))]
}

/** Beyond this many edits a "did you mean" guess is more confusing than helpful. */
const MAX_SUGGESTION_DISTANCE = 2

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1,
 * so the usual typos (`eu-wset-2`, `eu-west-22`, `us-eats-1`) are all one edit away.
 */
function editDistance (from: string, to: string): number {
  const rows = from.length + 1
  const columns = to.length + 1
  const distance: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const substitution = from[i - 1] === to[j - 1] ? 0 : 1
      let best = Math.min(
        distance[i - 1]![j]! + 1,
        distance[i]![j - 1]! + 1,
        distance[i - 1]![j - 1]! + substitution
      )
      if (i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]) {
        best = Math.min(best, distance[i - 2]![j - 2]! + 1)
      }
      distance[i]![j] = best
    }
  }
  return distance[from.length]![to.length]!
}

/**
 * The candidate a mistyped value most likely meant, or undefined when none is close. Case is ignored when
 * comparing, so `US-EAST-1` suggests `us-east-1`; ties go to the earlier candidate.
 */
export function closestMatch (value: string, candidates: readonly string[]): string | undefined {
  const wanted = value.toLowerCase()
  const limit = Math.min(MAX_SUGGESTION_DISTANCE, Math.floor(wanted.length / 2))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}
