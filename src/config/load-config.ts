import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { buildConfig } from './build-config.ts'
import { cannotBeRead } from './cannot-be-read.ts'
import { ConfigError } from './config-error.ts'
import { crossFieldProblems } from './cross-field-problems.ts'
import { loadRoutingCatalog } from './load-routing-catalog.ts'
import { resolveReferences } from './resolve-references.ts'
import type { GeofenceConfig } from './types.ts'
import { validateSchema } from './validate-schema.ts'

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
    ...(schema.ok ? crossFieldProblems(schema.config, resolved.unresolvedPaths) : schema.problems)
  ]
  if (problems.length > 0 || !schema.ok) throw new ConfigError(path, problems)
  const withCatalog = await loadRoutingCatalog(schema.config, baseDir)
  if (!withCatalog.ok) throw new ConfigError(path, [withCatalog.problem])
  return buildConfig(withCatalog.config)
}
