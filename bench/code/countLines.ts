import ts from 'typescript'

/** A source file's lines: all of them (`wc -l`), those holding code, comments only, and blank ones. */
export interface LineCount {
  lines: number
  code: number
  comment: number
  blank: number
}

/** Counts `text`'s lines by TypeScript's own scanner: a line with any token is code, else blank or comment. Pure. */
export function countLines(text: string): LineCount {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const starts: number[] = []
  for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) starts.push(at)
  const lineOf = (position: number) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= position) low = middle
      else high = middle - 1
    }
    return low
  }
  const code = new Set<number>()
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text)
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    // A template or a multi-line string holds code on every line it spans.
    for (let line = lineOf(scanner.getTokenStart()); line <= lineOf(scanner.getTokenEnd() - 1); line++) code.add(line)
  }
  const blank = lines.filter((line, i) => !code.has(i) && line.trim() === '').length
  return { lines: lines.length, code: code.size, comment: lines.length - code.size - blank, blank }
}

/** The sum of several counts. */
export const addCounts = (counts: readonly LineCount[]): LineCount =>
  counts.reduce((sum, count) => ({ lines: sum.lines + count.lines, code: sum.code + count.code, comment: sum.comment + count.comment, blank: sum.blank + count.blank }), {
    lines: 0,
    code: 0,
    comment: 0,
    blank: 0
  })
