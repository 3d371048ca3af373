import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BASE_PYTHON } from './python-env.ts'

export interface WheelSpec {
  name: string
  version: string
  /** Requirement lines as a package's metadata states them, e.g. `other[extra]>=1.0`. */
  requires?: readonly string[]
  /** Extra name to the requirements it adds. */
  extras?: Readonly<Record<string, readonly string[]>>
}

// A wheel is a zip of the package and its .dist-info; pip installs one without building anything, so a test can
// publish packages to a local --find-links folder in milliseconds and with no index.
const WRITE_WHEEL = `
import base64, hashlib, json, sys, zipfile
spec, folder = json.loads(sys.argv[1]), sys.argv[2]
dist = spec["name"].replace("-", "_")
info = f"{dist}-{spec['version']}.dist-info"
metadata = [f"Metadata-Version: 2.1", f"Name: {spec['name']}", f"Version: {spec['version']}"]
metadata += [f"Requires-Dist: {line}" for line in spec.get("requires", [])]
for extra, lines in spec.get("extras", {}).items():
    metadata.append(f"Provides-Extra: {extra}")
    metadata += [f'Requires-Dist: {line}; extra == "{extra}"' for line in lines]
files = {
    f"{dist}/__init__.py": f"VERSION = {spec['version']!r}\\n",
    f"{info}/METADATA": "\\n".join(metadata) + "\\n",
    f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = []
for name, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
    record.append(f"{name},sha256={digest},{len(text.encode())}")
record.append(f"{info}/RECORD,,")
files[f"{info}/RECORD"] = "\\n".join(record) + "\\n"
path = f"{folder}/{dist}-{spec['version']}-py3-none-any.whl"
with zipfile.ZipFile(path, "w") as wheel:
    for name, text in files.items():
        wheel.writestr(name, text)
print(path)
`

export interface PublishedWheel {
  spec: WheelSpec
  path: string
  sha256: string
}

/** Writes a pure-Python wheel for `spec` into `folder` and returns it with its sha256. */
export function publishWheel (folder: string, spec: WheelSpec): PublishedWheel {
  const run = spawnSync(BASE_PYTHON, ['-c', WRITE_WHEEL, JSON.stringify(spec), folder], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`writing the ${spec.name} ${spec.version} wheel failed: ${run.stderr}`)
  const path = run.stdout.trim()
  return { spec, path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }
}

/** A hashed lock in pip-compile's layout: one `name==version --hash=sha256:...` entry per wheel. */
export function hashedLock (wheels: readonly PublishedWheel[]): string {
  return wheels.map(({ spec, sha256 }) => `${spec.name}==${spec.version} \\\n    --hash=sha256:${sha256}\n`).join('')
}

/** Creates a virtualenv (with pip) at `folder` and returns its python. */
export function createVirtualenv (folder: string): string {
  const run = spawnSync(BASE_PYTHON, ['-m', 'venv', folder], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`python -m venv ${folder} failed: ${run.stderr}`)
  return join(folder, 'bin', 'python')
}
