import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { SHIPPED_NODE_FLAGS } from '../../bench/gateway/bench-processes.ts'

// Every way the gateway is started runs node with the same flags, and the bench measures the gateway with them.

const ROOT = new URL('../../', import.meta.url)
const text = async (file: string): Promise<string> => await readFile(new URL(file, ROOT), 'utf8')

t.test('the image runs node with the shipped flags before the launcher', async (t) => {
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(await text('Dockerfile'))?.[1]
  t.same(JSON.parse(entrypoint ?? '[]'), ['node', ...SHIPPED_NODE_FLAGS, 'bin/bedrock-geofence.js'])
})

t.test('npm start runs node with the shipped flags', async (t) => {
  const { scripts } = JSON.parse(await text('package.json')) as { scripts: Record<string, string> }
  t.equal(scripts.start, ['node', ...SHIPPED_NODE_FLAGS, 'bin/bedrock-geofence.js', 'serve'].join(' '))
})

t.test('the bedrock-geofence command (npx, a global install) runs node with the shipped flags', async (t) => {
  const shebang = (await text('bin/bedrock-geofence.js')).split('\n', 1)[0]
  t.equal(shebang, `#!/usr/bin/env -S node ${SHIPPED_NODE_FLAGS.join(' ')}`)
})

t.test('node accepts the shipped flags', async (t) => {
  const result = spawnSync(process.execPath, [...SHIPPED_NODE_FLAGS, '-e', ''], { cwd: fileURLToPath(ROOT), encoding: 'utf8' })
  t.equal(result.status, 0, result.stderr)
})
