import type { ErrorObject } from 'ajv'
import { closestMatch } from './closest-match.ts'
import { shownValue } from './shown-value.ts'
import { formatPath, pointerToPath, type ValuePath } from './value-path.ts'

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
