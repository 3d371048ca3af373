import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { cannotBeRead } from './load-config.ts'
import { formatPath, isSecretPath, shownValue, type ValuePath } from './problem-text.ts'

/** A whole string value of the form `${env:NAME}` or `${file:/path}`; nothing else is ever interpolated. */
const REFERENCE = /^\$\{(env|file):([^}]*)\}$/
const REFERENCE_OPENER = '${'
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Secret files usually end with the newline `echo` or an editor adds; it is never part of the secret. */
const TRAILING_LINE_BREAKS = /(\r?\n)+$/
/** How the two reference forms are spelled in messages that ask for one. */
export const REFERENCE_SYNTAX = '${env:NAME} or ${file:/path}'

export interface ReferenceContext {
  readonly env: NodeJS.ProcessEnv
  /** Relative `${file:...}` paths are read from the config file's own directory. */
  readonly baseDir: string
}

export interface ResolvedDocument {
  readonly document: unknown
  /** Formatted paths (`listen.tls.key`) whose reference failed (already reported): their text is not the value. */
  readonly unresolvedPaths: ReadonlySet<string>
  readonly problems: readonly string[]
}

interface Resolution { readonly value?: string; readonly problem?: string }

async function resolveOne (kind: string, target: string, context: ReferenceContext): Promise<Resolution> {
  const reference = `\${${kind}:${target}}`
  if (kind === 'env') {
    if (!ENV_NAME.test(target)) return { problem: `${reference} does not name an environment variable` }
    const value = context.env[target]
    return value === undefined || value === '' ? { problem: `${reference} is not set` } : { value }
  }
  if (target === '') return { problem: `${reference} names no file` }
  try {
    const value = (await readFile(resolve(context.baseDir, target), 'utf8')).replace(TRAILING_LINE_BREAKS, '')
    return value === '' ? { problem: `${reference} is an empty file` } : { value }
  } catch (error) {
    return { problem: `${reference} ${cannotBeRead(error)}` }
  }
}

/**
 * Replaces every reference in the parsed YAML by what it names, and refuses a secret written inline, collecting every
 * problem instead of stopping at the first. An unresolved reference stays in place as text, so schema validation still
 * sees a value there and reports only what is really wrong with the rest of the file.
 */
export async function resolveReferences (document: unknown, context: ReferenceContext): Promise<ResolvedDocument> {
  const unresolvedPaths = new Set<string>()
  const problems: string[] = []

  async function visit (value: unknown, path: ValuePath): Promise<unknown> {
    if (Array.isArray(value)) {
      return Promise.all(value.map((item, index) => visit(item, [...path, index])))
    }
    if (value !== null && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([key, item]) =>
        [key, await visit(item, [...path, key])] as const))
      return Object.fromEntries(entries)
    }
    if (typeof value !== 'string') return value

    const where = formatPath(path)
    const match = REFERENCE.exec(value)
    if (match === null) {
      if (isSecretPath(where)) {
        problems.push(`${where}: is written inline (expected ${REFERENCE_SYNTAX}; secrets never live in the config file)`)
      } else if (value.includes(REFERENCE_OPENER)) {
        problems.push(`${where}: ${shownValue(where, value)} is not a reference (expected the whole value to be ${REFERENCE_SYNTAX})`)
      }
      return value
    }
    const resolution = await resolveOne(match[1]!, match[2]!, context)
    if (resolution.value === undefined) {
      unresolvedPaths.add(where)
      problems.push(`${where}: ${resolution.problem!}`)
      return value
    }
    return resolution.value
  }

  const resolved = await visit(document, [])
  return { document: resolved, unresolvedPaths, problems }
}
