import { describe, expect, it } from 'vitest'
import { applyRecipe, recipeBounds } from '../inbox/planRow.js'
import { markReadRecipe } from './markRead.js'

const sk = (n: number) => `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z#01A`

describe('markReadRecipe', () => {
  it('recounts from the new marker to the row\'s last message', () => {
    expect(markReadRecipe(sk(5), { marker: sk(1), count: 3 }, sk(3))).toEqual({ kind: 'recount', base: sk(3), through: sk(5) })
    expect(markReadRecipe(sk(5), { count: 4 }, sk(2))).toEqual({ kind: 'recount', base: sk(2), through: sk(5) })
  })

  it('never moves the marker back, and a repeat is a no-op', () => {
    expect(markReadRecipe(sk(5), { marker: sk(4), count: 1 }, sk(2))).toEqual({ kind: 'keep' })
    expect(markReadRecipe(sk(5), { marker: sk(4), count: 1 }, sk(4))).toEqual({ kind: 'keep' })
  })

  it('recounts from the marker it keeps when the stored count is not valid', () => {
    expect(markReadRecipe(sk(5), { marker: sk(4) }, sk(2))).toEqual({ kind: 'recount', base: sk(4), through: sk(5) })
  })

  it('reads nothing and leaves 0 unread for a marker at or past the row (the stream has not moved the row yet)', () => {
    const atRow = markReadRecipe(sk(5), { marker: sk(1), count: 2 }, sk(5))
    expect(recipeBounds(atRow)).toBeUndefined()
    const pastRow = markReadRecipe(sk(5), { marker: sk(1), count: 2 }, sk(7))
    expect(pastRow).toEqual({ kind: 'recount', base: sk(7), through: sk(5) })
    expect(recipeBounds(pastRow)).toBeUndefined()
    expect(applyRecipe(pastRow as Exclude<typeof pastRow, { kind: 'keep' }>, 'ann', undefined)).toEqual({ marker: sk(7), count: 0 })
  })
})
