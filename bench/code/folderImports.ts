import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import ts from 'typescript'

/** Which units import which: a folder under the root (`inbox`), or a file directly in it (`context.ts`). */
export type ImportGraph = Map<string, Set<string>>

/**
 * The import graph between the folders of `root` (each file directly in `root` is a unit of its own), from every
 * `.ts` file but unit tests, relative imports only (packages are not ours): static and dynamic imports and re-exports,
 * and type-only ones unless `values` (those are erased when compiled, so they cannot make modules load in a circle).
 */
export function folderImportGraph(root: string, options: { values?: boolean } = {}): ImportGraph {
  const graph: ImportGraph = new Map()
  const unitOf = (file: string) => relative(root, file).split('/')[0]!
  for (const file of sourceFiles(root)) {
    const from = unitOf(file)
    const edges = graph.get(from) ?? new Set<string>()
    graph.set(from, edges)
    for (const specifier of importsOf(readFileSync(file, 'utf8'), options.values ?? false)) {
      if (!specifier.startsWith('.')) continue
      const to = unitOf(normalize(join(dirname(file), specifier))).replace(/\.js$/, '.ts')
      if (to !== from && !to.startsWith('..')) edges.add(to)
    }
  }
  return graph
}

/** The module specifiers a source file imports or re-exports; with `values`, only those that bring a value. Pure. */
export function importsOf(text: string, values: boolean): string[] {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest)
  const found: string[] = []
  const typeOnly = (node: ts.ImportDeclaration | ts.ExportDeclaration) => {
    if (ts.isExportDeclaration(node)) return node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.every((e) => e.isTypeOnly))
    const clause = node.importClause
    if (!clause) return false // a bare `import './x.js'` runs the module
    if (clause.isTypeOnly) return true
    const named = clause.namedBindings
    return clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)
  }
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!values || !typeOnly(node)) found.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text)
    } else if (!values && ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text) // `import('./x.js').T` in a type
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** `graph` between folders alone: the files directly in the root (the public surface, the contexts) set aside. */
export const foldersOnly = (graph: ImportGraph): ImportGraph =>
  new Map([...graph].filter(([unit]) => !unit.endsWith('.ts')).map(([unit, to]) => [unit, new Set([...to].filter((other) => !other.endsWith('.ts')))]))

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.unit.test.ts') ? [path] : []
  })
}

/**
 * The cycles of `graph`: each strongly connected set of two or more units (Tarjan's algorithm), sorted, so that a
 * folder importing from one that uses it is found however long the way back. Empty when the folders form layers. Pure.
 */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const cycles: string[][] = []
  const visit = (unit: string) => {
    index.set(unit, next)
    low.set(unit, next++)
    stack.push(unit)
    for (const to of graph.get(unit) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(unit, Math.min(low.get(unit)!, low.get(to)!))
      } else if (stack.includes(to)) low.set(unit, Math.min(low.get(unit)!, index.get(to)!))
    }
    if (low.get(unit) !== index.get(unit)) return
    const members: string[] = []
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      members.push(member)
      if (member === unit) break
    }
    if (members.length > 1) cycles.push(members.sort())
  }
  for (const unit of [...graph.keys()].sort()) if (!index.has(unit)) visit(unit)
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!))
}

/** The shortest way round one cycle from its first unit, as `a → b → … → a`: where a reader can cut it. Pure. */
export function describeCycle(graph: ImportGraph, cycle: readonly string[]): string {
  const start = cycle[0]!
  const cameFrom = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const at = queue.shift()!
    for (const to of [...(graph.get(at) ?? [])].sort()) {
      if (to === start) {
        const path = [at]
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!)
        return [...path, start].join(' → ')
      }
      if (cycle.includes(to) && !cameFrom.has(to)) {
        cameFrom.set(to, at)
        queue.push(to)
      }
    }
  }
  return cycle.join(', ')
}
