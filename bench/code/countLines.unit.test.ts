import { describe, expect, it } from 'vitest'
import { addCounts, countLines } from './countLines.js'

describe('countLines', () => {
  it('tells code from comments and blank lines, as wc -l counts them all', () => {
    const text = ['/**', ' * Docs.', ' */', 'export const a = 1 // trailing', '', '  // a note', 'const b = `x', 'y`', ''].join('\n')
    expect(countLines(text)).toEqual({ lines: 8, code: 3, comment: 4, blank: 1 })
    expect(addCounts([countLines(text), countLines('x\n')])).toEqual({ lines: 9, code: 4, comment: 4, blank: 1 })
  })
})
