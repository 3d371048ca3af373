import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/**
 * The layers of src/, lowest first: each folder may import only the folders listed for it. docs/architecture.md
 * draws the same map; a folder that is not here fails the check until it is given a place.
 */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  core: [],
  sigv4: ['core'],
  bedrock: ['core'],
  config: ['core', 'bedrock'],
  policy: ['core', 'bedrock', 'config'],
  auth: ['core', 'sigv4', 'bedrock', 'config'],
  upstream: ['core', 'sigv4', 'bedrock', 'config'],
  routing: ['core', 'bedrock', 'config', 'policy', 'upstream'],
  server: ['core', 'sigv4', 'bedrock', 'config', 'policy', 'auth', 'upstream', 'routing'],
  demo: ['core', 'bedrock', 'config', 'auth', 'server'],
  cli: ['core', 'sigv4', 'bedrock', 'config', 'policy', 'auth', 'upstream', 'routing', 'server', 'demo']
}

/** What other layers import a folder through: its public face, like a package's entry point. */
const LAYER_ENTRY = 'index.ts'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
const ARCHITECTURE_DOC = resolve(SRC, '../docs/architecture.md')

interface ProjectImport {
  readonly file: string
  readonly fromLayer: string
  readonly toLayer: string
  /** The imported file, relative to its layer folder. */
  readonly toFile: string
}

function sourceFiles (folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

function layerOf (file: string): string {
  return relative(SRC, file).split(sep)[0] as string
}

/** Every relative import, static or dynamic, `export ... from` included, of every file in src/. */
function projectImports (): ProjectImport[] {
  return sourceFiles(SRC).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    return importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => {
        const target = resolve(dirname(file), fileName)
        return {
          file: relative(SRC, file),
          fromLayer: layerOf(file),
          toLayer: layerOf(target),
          toFile: relative(join(SRC, layerOf(target)), target)
        }
      })
  })
}

const imports = projectImports()
const crossLayer = imports.filter(({ fromLayer, toLayer }) => fromLayer !== toLayer)

t.test('every folder in src has a place in the layer map', async (t) => {
  const folders = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
  t.same(folders.filter((folder) => !Object.hasOwn(LAYERS, folder)), [])
  t.same(readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name), [],
    'no file lies in src itself, outside every layer')
})

t.test('the layer map runs one way: no folder reaches itself through the folders it may import', async (t) => {
  const reaches = (from: string, seen: Set<string>): boolean =>
    (LAYERS[from] ?? []).some((to) => to === from || seen.has(to) || reaches(to, new Set([...seen, from])))
  t.same(Object.keys(LAYERS).filter((layer) => reaches(layer, new Set([layer]))), [])
})

t.test('every import between folders goes down the layer map', async (t) => {
  const against = crossLayer
    .filter(({ fromLayer, toLayer }) => !(LAYERS[fromLayer] ?? []).includes(toLayer))
    .map(({ file, toLayer, toFile }) => `${file} imports ${toLayer}/${toFile}`)
  t.same(against, [])
})

t.test('another folder imports a layer only through its index.ts', async (t) => {
  const bypassing = crossLayer
    .filter(({ toFile }) => toFile !== LAYER_ENTRY)
    .map(({ file, toLayer, toFile }) => `${file} imports ${toLayer}/${toFile}`)
  t.same(bypassing, [])
})

t.test('the core layer imports no package either, so any layer can take it without pulling in a dependency', async (t) => {
  const packages = sourceFiles(join(SRC, 'core')).flatMap((file) =>
    ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles
      .filter(({ fileName }) => !fileName.startsWith('.') && !fileName.startsWith('node:'))
      .map(({ fileName }) => `${relative(SRC, file)} imports ${fileName}`))
  t.same(packages, [])
})

t.test('docs/architecture.md draws the same layer map, in the same order', async (t) => {
  const rows = readFileSync(ARCHITECTURE_DOC, 'utf8').split('\n')
    .filter((line) => /^\| `[a-z0-9]+` \|/.test(line))
    .map((line) => line.split(' | '))
  const documented = Object.fromEntries(rows.map((cells) => [
    (cells[0] as string).replace(/^\| `|`$/g, ''),
    [...(cells.at(-1) as string).matchAll(/`([a-z0-9]+)`/g)].map((match) => match[1])
  ]))
  t.same(Object.keys(documented), Object.keys(LAYERS))
  t.same(documented, LAYERS)
})
