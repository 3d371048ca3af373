// Builds (or confirms) the Python client environments before tap starts, so a first build's minutes of pip never
// count against a test file's timeout:  node --import tsx test/support/ensure-python-env.ts
import { performance } from 'node:perf_hooks'
import { bidiVenvPython, sdkVenvPython, venvPython } from './python-env.ts'

const started = performance.now()
const python = await venvPython()
const sdkPython = await sdkVenvPython()
const bidiPython = await bidiVenvPython()
const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`Python client environments ready: ${python}, ${sdkPython}, ${bidiPython} (${seconds} s)`)
