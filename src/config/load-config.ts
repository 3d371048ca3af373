import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { buildConfig } from './build-config.ts'
import { crossFieldProblems } from './cross-field-problems.ts'
import { enforcementProblems } from './enforcement.ts'
import { resolveReferences } from './resolve-references.ts'
import type { GeofenceConfig } from './types.ts'
import { validateSchema } from './schema-problems.ts'
import { parseCatalog } from './routing-catalog.ts'
import type { RawConfig } from './schema.ts'

type YamlParse = { readonly ok: true; readonly document: unknown } | { readonly ok: false; readonly problems: string[] }

function parseYaml (text: string): YamlParse {
  const lines = new LineCounter()
  const parsed = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines })
  if (parsed.errors.length === 0) return { ok: true, document: parsed.toJS() }
  return {
    ok: false,
    problems: parsed.errors.map((error) => {
      const { line, col } = lines.linePos(error.pos[0])
      return `line ${line}, column ${col}: ${error.message}`
    })
  }
}

/**
 * Reads, resolves and validates a config file, filling in every default. Throws a {@link ConfigError} listing every
 * problem; secrets are resolved from their references here and never appear in a problem.
 */
export async function loadConfig (path: string, env: NodeJS.ProcessEnv = process.env): Promise<GeofenceConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ConfigError(path, [cannotBeRead(error)])
  }
  const yaml = parseYaml(text)
  if (!yaml.ok) throw new ConfigError(path, yaml.problems)

  const baseDir = dirname(resolve(path))
  const resolved = await resolveReferences(yaml.document, { env, baseDir })
  const schema = validateSchema(resolved.document)
  const problems = [
    ...resolved.problems,
    ...(schema.ok
      ? [...crossFieldProblems(schema.config, resolved.unresolvedPaths), ...enforcementProblems(schema.config, Date.now())]
      : schema.problems)
  ]
  if (problems.length > 0 || !schema.ok) throw new ConfigError(path, problems)
  const withCatalog = await loadRoutingCatalog(schema.config, baseDir)
  if (!withCatalog.ok) throw new ConfigError(path, [withCatalog.problem])
  return buildConfig(withCatalog.config)
}

/** Fallback for a read error without an errno code, so the message still says why nothing was read. */
const UNKNOWN_READ_ERROR = 'unreadable'

/** The problem text for a file whose read failed, e.g. `cannot be read (ENOENT)`: the errno code tells why. */
export function cannotBeRead (error: unknown): string {
  return `cannot be read (${(error as NodeJS.ErrnoException).code ?? UNKNOWN_READ_ERROR})`
}

/** A config that cannot be used, with every problem found in it (never just the first), one line each. */
export class ConfigError extends Error {
  readonly file: string
  readonly problems: readonly string[]

  constructor (file: string, problems: readonly string[]) {
    super(`${file}: invalid config\n${problems.join('\n')}`)
    this.name = 'ConfigError'
    this.file = file
    this.problems = problems
  }
}

export const DEFAULT_CONFIG_PATH = 'config/geofence.yaml'
export const CONFIG_PATH_ENV = 'GEOFENCE_CONFIG'

/** `--config` wins, then `$GEOFENCE_CONFIG`, then the shipped default (relative to the working directory). */
export function configPath (option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CONFIG_PATH_ENV]
  return option ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_CONFIG_PATH : fromEnv)
}

const WHERE = 'routing.catalogFile'

export type RoutingCatalogLoad = { readonly ok: true; readonly config: RawConfig } | { readonly ok: false; readonly problem: string }

/**
 * Reads `routing.catalogFile` (a path relative to the config file's directory, like `${file:...}`), validates it as a
 * routing catalog, and returns the config carrying it as `routing.catalog`. A file that cannot be read, is not JSON
 * or is not a catalog is a config problem: the gateway never falls back to the shipped catalog behind the operator's
 * back.
 */
export async function loadRoutingCatalog (config: RawConfig, baseDir: string): Promise<RoutingCatalogLoad> {
  const file = config.routing.catalogFile
  if (file === undefined) return { ok: true, config }
  const named = `${WHERE}: ${JSON.stringify(file)}`
  let text: string
  try {
    text = await readFile(resolve(baseDir, file), 'utf8')
  } catch (error) {
    return { ok: false, problem: `${named} ${cannotBeRead(error)}` }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, problem: `${named} is not JSON (${(error as Error).message})` }
  }
  try {
    return { ok: true, config: { ...config, routing: { ...config.routing, catalog: parseCatalog(json) } } }
  } catch (error) {
    return { ok: false, problem: `${named} is not a routing catalog: ${(error as Error).message}` }
  }
}
