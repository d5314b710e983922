// `engines` is a promise to users: every Node version it admits must be one that each package installed with
// dynamo-messaging admits too. Checked on the installed tree: the runtime dependencies and everything they pull in,
// and the peer dependencies at the versions this repository is tested with (package-lock.json).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { subset, validRange } from 'semver'
import { describe, expect, it } from 'vitest'

interface Manifest {
  name: string
  version: string
  engines?: { node?: string }
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
const own = read(root)

/** Where Node would find `name` from a package in `dir`: the nearest node_modules/<name> up the tree. */
function locate(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(at) === at) return undefined
  }
}

/** Every installed package reachable from `names` through their dependencies, each once. */
function installedTree(names: readonly string[]): Map<string, Manifest> {
  const found = new Map<string, Manifest>()
  const visit = (name: string, from: string) => {
    const dir = locate(name, from)
    if (!dir || found.has(dir)) return // an optional dependency for another platform is not installed
    const manifest = read(dir)
    found.set(dir, manifest)
    for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dependency, dir)
  }
  for (const name of names) visit(name, root)
  return found
}

describe('engines', () => {
  const ours = own.engines?.node ?? ''

  it('is a valid range', () => {
    expect(validRange(ours)).not.toBeNull()
  })

  it.each([
    ['runtime dependencies', Object.keys(own.dependencies ?? {})],
    ['peer dependencies', Object.keys(own.peerDependencies ?? {})]
  ])('admits no Node version that one of the %s (or what they pull in) refuses', (_kind, names) => {
    const tree = installedTree(names)
    expect(tree.size).toBeGreaterThanOrEqual(names.length)
    const refusing = [...tree.values()]
      .filter((manifest) => manifest.engines?.node !== undefined && !subset(ours, manifest.engines.node))
      .map((manifest) => `${manifest.name}@${manifest.version} needs node ${manifest.engines!.node}`)
    expect(refusing, `package.json says node ${ours}`).toEqual([])
  })
})
