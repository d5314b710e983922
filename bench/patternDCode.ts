import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { addCounts, countLines, type LineCount } from './code/countLines.js'
import { describeCycle, folderImportGraph, foldersOnly, importCycles } from './code/folderImports.js'
import { fmt, type Figure } from './report.js'

const SECTION = "12. Pattern D's code: size and folder layering"

/**
 * Pattern D before issue 18, measured with {@link countLines} at commit e2bf910 (main): src/patterns/{planGroupSync,
 * planGroupUpdate, syncGroupRows, updateMessageGroups, queryGroupRows, queryOwnerRows, newestRow,
 * validateGroupUpdateInput, validateSyncOptions}.ts, src/unread/*.ts and src/rowMove/*.ts, unit tests excluded; and
 * the same with src/patterns/markRead.ts. Constants, so that a shallow clone measures the same.
 */
const BEFORE = { lines: 1_306, code: 837 }
const BEFORE_WITH_MARK_READ = { lines: 1_463, code: 945 }

/** Lines of Pattern D (src/inbox/, unit tests excluded) against the code it replaced, and the folders' import cycles. */
export function benchPatternDCode(src = 'src'): Figure[] {
  const count = (files: string[]) => addCounts(files.map((file) => countLines(readFileSync(file, 'utf8'))))
  const inboxFiles = readdirSync(join(src, 'inbox'))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.unit.test.ts'))
    .map((name) => join(src, 'inbox', name))
  const inbox = count(inboxFiles)
  const withMarkRead = count([...inboxFiles, join(src, 'conversations', 'markRead.ts')])
  const sized = (what: string, now: LineCount, before: { lines: number; code: number }): Figure[] => [
    {
      section: SECTION,
      figure: `${what}: lines (wc -l)`,
      measured: `${now.lines} vs ${fmt(before.lines)} = ${fmt(now.lines / before.lines)}× (${now.comment} of them comments, ${now.blank} blank)`,
      goal: '≤ 0.5×',
      met: now.lines <= 0.5 * before.lines
    },
    {
      section: SECTION,
      figure: `${what}: lines of code (no comment or blank line)`,
      measured: `${now.code} vs ${before.code} = ${fmt(now.code / before.code)}×`,
      goal: 'reported (the goal counts every line)'
    }
  ]

  const all = folderImportGraph(src)
  const values = folderImportGraph(src, { values: true })
  const cycles = (graph: typeof all) => importCycles(graph).map((cycle) => describeCycle(graph, cycle))
  const betweenFolders = cycles(foldersOnly(all))
  const loading = cycles(values)
  const throughRoot = importCycles(all)
  return [
    ...sized('src/inbox/ against src/patterns (Pattern D), src/unread, src/rowMove', inbox, BEFORE),
    ...sized('src/inbox/ and conversations/markRead.ts against the same and patterns/markRead.ts', withMarkRead, BEFORE_WITH_MARK_READ),
    {
      section: SECTION,
      figure: "folders of src/ importing from one that uses them (type-only imports included; bench/code's unit test fails on one)",
      measured: betweenFolders.length === 0 ? 'none' : betweenFolders.join('; '),
      goal: 'none',
      met: betweenFolders.length === 0
    },
    {
      section: SECTION,
      figure: 'modules loading in a circle (value imports, each file at the root of src/ a unit of its own)',
      measured: loading.length === 0 ? 'none' : loading.join('; '),
      goal: 'none',
      met: loading.length === 0
    },
    {
      section: SECTION,
      figure: 'type-only cycles through a file at the root of src/ (the contexts: declared there, built from table/ and cache/)',
      measured: throughRoot.length === 0 ? 'none' : throughRoot.map((cycle) => `${cycle.length} units, e.g. ${describeCycle(all, cycle)}`).join('; '),
      goal: 'reported'
    }
  ]
}
