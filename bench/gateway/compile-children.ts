import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'

export const PROJECT_ROOT = new URL('../../', import.meta.url)
const BENCH_TSCONFIG = 'tsconfig.bench.json'
/** Where tsconfig.bench.json writes the compiled children, under a checkout; the layout under it mirrors the repository. */
const BUILD_DIR = '.cache/bench-build/'

/**
 * Compiles the measured children (and the sources they import) with tsc, as the Docker image and `npm start` run
 * the gateway from tsc's output. Run through tsx instead, every closure the gateway creates per request also pays
 * for esbuild's name-keeping helper (an Object.defineProperty each); the gateway creates many more than the bare
 * pass-through, so tsx overstated its CPU per request by about a third.
 */
export async function compileBenchChildren (checkout: URL = PROJECT_ROOT): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  await promisify(execFile)(process.execPath, [tsc, '-p', BENCH_TSCONFIG], { cwd: checkout })
}

/** The compiled form of a child script under bench/gateway, e.g. `gateway-process`, in this checkout or another. */
export function compiledChild (name: string, checkout: URL = PROJECT_ROOT): URL {
  return new URL(`${BUILD_DIR}bench/gateway/${name}.js`, checkout)
}
