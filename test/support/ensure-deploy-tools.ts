// Installs (or confirms) helm, promtool and kubernetes-validate before tap starts, so that a fresh machine's helm
// build never counts against a test file's timeout:  node --import tsx test/support/ensure-deploy-tools.ts
import { performance } from 'node:perf_hooks'
import { deployTools } from './deploy-tools.ts'

const started = performance.now()
const tools = await deployTools()
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`Deploy tools ready: ${tools.helm}, ${tools.promtool}, ${tools.kubernetesValidate} (${seconds} s)`)
