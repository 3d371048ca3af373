import { readFile } from 'node:fs/promises'
import t from 'tap'
import { parse } from 'yaml'

const ROOT = new URL('../../', import.meta.url)

function firstShellBlockAfter (markdown: string, heading: string): string {
  const from = markdown.indexOf(heading)
  const match = /```sh\n([\s\S]*?)```/.exec(markdown.slice(from))
  if (from === -1 || match === null) throw new Error(`no sh block after ${heading}`)
  return match[1] as string
}

t.test('the container quick start in docs/operations.md is the one deploy/README.md documents', async (t) => {
  const operations = await readFile(new URL('docs/operations.md', ROOT), 'utf8')
  const deploy = await readFile(new URL('deploy/README.md', ROOT), 'utf8')
  t.equal(firstShellBlockAfter(operations, '## Container'), firstShellBlockAfter(deploy, '## Quick start'))
})

t.test('the quick start calls a model that LiteLLM\'s compose config serves', async (t) => {
  const operations = await readFile(new URL('docs/operations.md', ROOT), 'utf8')
  const model = /"model": "([^"]+)"/.exec(firstShellBlockAfter(operations, '## Container'))?.[1]
  const config = parse(await readFile(new URL('deploy/litellm-config.yaml', ROOT), 'utf8')) as { model_list: Array<{ model_name: string }> }
  t.ok(config.model_list.some(({ model_name: name }) => name === model), `${model} is in deploy/litellm-config.yaml`)
})
