import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseCatalog } from './routing-catalog.ts'
import { cannotBeRead } from './cannot-be-read.ts'
import type { RawConfig } from './schema.ts'

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
