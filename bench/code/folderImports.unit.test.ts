import { describe, expect, it } from 'vitest'
import { describeCycle, folderImportGraph, foldersOnly, importCycles, importsOf, type ImportGraph } from './folderImports.js'

const graph = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]))

describe('importCycles', () => {
  it('finds a folder importing from one that uses it, however long the way back', () => {
    const layered = graph({ stream: ['inbox', 'keys'], inbox: ['table', 'keys'], table: ['keys'], keys: [] })
    expect(importCycles(layered)).toEqual([])
    const tangled = graph({ patterns: ['unread', 'keys'], unread: ['rowMove'], rowMove: ['patterns'], keys: [], cache: ['conversations'], conversations: ['cache'] })
    expect(importCycles(tangled)).toEqual([
      ['cache', 'conversations'],
      ['patterns', 'rowMove', 'unread']
    ])
    expect(describeCycle(tangled, ['patterns', 'rowMove', 'unread'])).toBe('patterns → unread → rowMove → patterns')
    // Through a file at the root: a cycle of units, none between folders alone.
    const throughRoot = graph({ table: ['context.ts'], 'context.ts': ['table'] })
    expect(importCycles(throughRoot)).toEqual([['context.ts', 'table']])
    expect(importCycles(foldersOnly(throughRoot))).toEqual([])
  })
})

describe('importsOf', () => {
  it('reads imports, re-exports and dynamic imports, and tells the type-only ones', () => {
    const text = [
      "import { a } from './a.js'",
      "import type { B } from './b.js'",
      "import { type C } from './c.js'",
      "import { type D, d } from './d.js'",
      "export { e } from './e.js'",
      "export type { F } from './f.js'",
      "const g = await import('./g.js')",
      "let h: import('./h.js').H",
      "import 'node:fs'"
    ].join('\n')
    expect(importsOf(text, false)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', './g.js', './h.js', 'node:fs'])
    expect(importsOf(text, true)).toEqual(['./a.js', './d.js', './e.js', './g.js', 'node:fs'])
  })
})

describe("src/'s folders", () => {
  it('import only downwards: no folder imports from one that uses it, and no module loads in a circle', () => {
    const src = new URL('../../src', import.meta.url).pathname
    const all = folderImportGraph(src)
    expect(all.get('inbox')?.has('table')).toBe(true) // the graph was read
    // Between folders, type-only imports included (a file at the root is set aside: the public surface, the contexts).
    expect(importCycles(foldersOnly(all)).map((cycle) => describeCycle(all, cycle))).toEqual([])
    // Between every unit, each root file one of its own, counting what is left when types are erased.
    const values = folderImportGraph(src, { values: true })
    expect(importCycles(values).map((cycle) => describeCycle(values, cycle))).toEqual([])
  }, 30_000) // parses all of src/ twice: seconds on a busy machine
})
