/**
 * tap's coverage map (`coverage-map` in package.json's "tap" section): the files whose coverage a test file's run
 * records. Only the gateway's sources are measured; tests, their helpers, the benches and the scripts are not, and
 * neither is anything a test builds or copies elsewhere. tap runs this file on the project's Node, which strips the
 * types.
 */
const SOURCES = 'src/**/*.ts'

/**
 * Test files whose runs record no coverage: two run the build in dist/ (through bin/ and npx), not the sources, and
 * the bench smoke drives load through processes that coverage would slow several times over, to test the bench.
 */
const MEASURES_NOTHING: ReadonlySet<string> = new Set([
  'test/cli/launcher.test.ts',
  'test/project/documented-commands.test.ts',
  'test/bench/gateway-bench-smoke.test.ts'
])

export default function coverageMap (testFile: string): string[] | null {
  return MEASURES_NOTHING.has(testFile) ? null : [SOURCES]
}
