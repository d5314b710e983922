import { describe, expect, it } from 'vitest'
import { foldedReadState } from './foldedReadState.js'

const sk = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z#01${second}`
const row = (at: number, read?: { marker?: number; count: number }) => ({
  sk: sk(at),
  ...(read && { unread_count: read.count, ...(read.marker !== undefined && { last_read_sk: sk(read.marker) }) })
})

describe('foldedReadState', () => {
  it('takes the newest marker among the owner\'s rows, and says the count must be recounted from it', () => {
    const newest = row(12, { marker: 9, count: 2 })
    expect(foldedReadState([row(10, { marker: 11, count: 0 }), newest], newest)).toEqual({ state: { legacy: false, marker: sk(11), count: 2 }, foldedMarker: true })
    // A newest row never read takes the other's marker too.
    const unread = row(12, { count: 3 })
    expect(foldedReadState([unread, row(10, { marker: 10, count: 0 })], unread)).toEqual({ state: { legacy: false, marker: sk(10), count: 3 }, foldedMarker: true })
  })

  it('keeps the newest row\'s state when its marker is already the newest, or it is alone, or it has no count', () => {
    const newest = row(12, { marker: 12, count: 0 })
    expect(foldedReadState([row(10, { marker: 10, count: 0 }), newest], newest)).toEqual({ state: { legacy: false, marker: sk(12), count: 0 }, foldedMarker: false })
    const alone = row(12, { marker: 9, count: 2 })
    expect(foldedReadState([alone], alone).foldedMarker).toBe(false)
    // Rows without a count (the bootcamp's) carry no marker to take, and a legacy newest row stays legacy.
    expect(foldedReadState([row(10), alone], alone).foldedMarker).toBe(false)
    const legacy = row(12)
    expect(foldedReadState([row(10, { marker: 11, count: 0 }), legacy], legacy)).toEqual({ state: { legacy: true }, foldedMarker: false })
  })
})
