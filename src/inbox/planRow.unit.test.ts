import { describe, expect, it } from 'vitest'
import type { MessageRange, RangeMessage } from './messageRange.js'
import { applyRecipe, newestWithin, recipeBounds, rowRecipe } from './planRow.js'
import { UNREAD_COUNT_CAP } from './readState.js'

const sk = (n: number) => `2026-01-01T00:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000Z#01A`
const ann = 'ann'
const ben = 'ben'
/** The range (after, through] holding every message of `messages` within it, as a full read returns it. */
const rangeOf = (messages: RangeMessage[], through: string, after?: string): MessageRange => ({
  ...(after !== undefined && { after }),
  through,
  messages: messages.filter((m) => (after === undefined || m.sk > after) && m.sk <= through)
})
const from = (user: string, ...seconds: number[]): RangeMessage[] => seconds.map((n) => ({ sk: sk(n), user_uuid: user, message: `m${n}` }))

describe('rowRecipe', () => {
  it('increments a row that moves to a newer message when nothing applied lies at or below it', () => {
    expect(rowRecipe({ lastSk: sk(3), marker: sk(2), count: 1 }, sk(5), [sk(5)])).toEqual({ kind: 'increment', marker: sk(2), count: 1, from: sk(3), through: sk(5) })
    expect(rowRecipe({ lastSk: sk(3), count: 4 }, sk(5), [sk(4), sk(5)])).toEqual({ kind: 'increment', count: 4, from: sk(3), through: sk(5) })
  })

  it('keeps a row already at the message or past it, once the message is read or counted', () => {
    expect(rowRecipe({ lastSk: sk(5), marker: sk(5), count: 0 }, sk(5), [sk(5)])).toEqual({ kind: 'keep' })
    expect(rowRecipe({ lastSk: sk(7), marker: sk(6), count: 1 }, sk(5), [sk(5)])).toEqual({ kind: 'keep' })
  })

  it('recounts when a message applied lies at or below the row after its marker: a redelivery or a late write', () => {
    // Redelivered: the row shows it, but was it counted? Only a recount can tell.
    expect(rowRecipe({ lastSk: sk(5), marker: sk(2), count: 3 }, sk(5), [sk(5)])).toEqual({ kind: 'recount', base: sk(2), through: sk(5) })
    // Late: committed after a newer message was applied, below the row now.
    expect(rowRecipe({ lastSk: sk(7), count: 3 }, sk(4), [sk(4)])).toEqual({ kind: 'recount', through: sk(7) })
    // In one batch with a newer one: the row moves to the newest and the old one is settled by the recount.
    expect(rowRecipe({ lastSk: sk(5), marker: sk(1), count: 2 }, sk(8), [sk(3), sk(8)])).toEqual({ kind: 'recount', base: sk(1), through: sk(8) })
  })

  it('recounts when the marker is past the row (markRead up to a message the row did not show yet)', () => {
    expect(rowRecipe({ lastSk: sk(3), marker: sk(4), count: 0 }, sk(6), [sk(6)])).toEqual({ kind: 'recount', base: sk(4), through: sk(6) })
  })

  it('recounts a row whose stored count is not valid, also when it would keep otherwise', () => {
    expect(rowRecipe({ lastSk: sk(5), marker: sk(5) }, sk(5), [sk(5)])).toEqual({ kind: 'recount', base: sk(5), through: sk(5) })
    expect(rowRecipe({ lastSk: sk(3) }, sk(5), [sk(5)])).toEqual({ kind: 'recount', through: sk(5) })
  })
})

describe('recipeBounds', () => {
  it('is what each recipe must read', () => {
    expect(recipeBounds({ kind: 'keep' })).toBeUndefined()
    expect(recipeBounds({ kind: 'increment', count: 0, from: sk(3), through: sk(5) })).toEqual({ after: sk(3), through: sk(5) })
    expect(recipeBounds({ kind: 'recount', base: sk(1), through: sk(5) })).toEqual({ after: sk(1), through: sk(5) })
    expect(recipeBounds({ kind: 'recount', through: sk(5) })).toEqual({ through: sk(5) })
  })

  it('is nothing for a recount from a marker at or past its end: nothing after the marker is unread', () => {
    expect(recipeBounds({ kind: 'recount', base: sk(5), through: sk(5) })).toBeUndefined()
    expect(recipeBounds({ kind: 'recount', base: sk(6), through: sk(5) })).toBeUndefined()
  })
})

describe('applyRecipe', () => {
  it("adds the others' new messages to the count of an increment", () => {
    const recipe = { kind: 'increment' as const, marker: sk(1), count: 2, from: sk(3), through: sk(6) }
    expect(applyRecipe(recipe, ann, rangeOf(from(ben, 4, 5, 6), sk(6), sk(3)))).toEqual({ marker: sk(1), count: 5 })
  })

  it("moves the marker to the owner's newest message and counts only what follows it: sending marks read", () => {
    const recipe = { kind: 'increment' as const, count: 2, from: sk(3), through: sk(7) }
    const range = rangeOf([...from(ben, 4, 7), ...from(ann, 5, 6)], sk(7), sk(3))
    expect(applyRecipe(recipe, ann, range)).toEqual({ marker: sk(6), count: 1 })
    expect(applyRecipe({ kind: 'recount', through: sk(7) }, ann, rangeOf([...from(ben, 1, 4, 7), ...from(ann, 5, 6)], sk(7)))).toEqual({ marker: sk(6), count: 1 })
  })

  it('recounts from the marker over its bounds, or from the first message without one', () => {
    const messages = [...from(ben, 1, 2, 4, 5), ...from(ann, 0)]
    expect(applyRecipe({ kind: 'recount', base: sk(2), through: sk(5) }, ann, rangeOf(messages, sk(5), sk(2)))).toEqual({ marker: sk(2), count: 2 })
    expect(applyRecipe({ kind: 'recount', through: sk(5) }, ben, rangeOf(messages, sk(5)))).toEqual({ marker: sk(5), count: 0 })
    expect(applyRecipe({ kind: 'recount', through: sk(5) }, 'cat', rangeOf(messages, sk(5)))).toEqual({ count: 5 })
  })

  it('is 0 unread for a recount with nothing to read, keeping its marker', () => {
    expect(applyRecipe({ kind: 'recount', base: sk(6), through: sk(5) }, ann, undefined)).toEqual({ marker: sk(6), count: 0 })
  })

  it('cannot tell without a range, or with one that stops short of the end of its bounds', () => {
    const recipe = { kind: 'increment' as const, count: 0, from: sk(3), through: sk(6) }
    expect(applyRecipe(recipe, ann, undefined)).toBeUndefined()
    expect(applyRecipe(recipe, ann, rangeOf(from(ben, 4, 5), sk(5), sk(3)))).toBeUndefined()
  })

  it('caps the count: an increment past the cap, and a recount of more than the cap', () => {
    const many = from(ben, ...Array.from({ length: UNREAD_COUNT_CAP + 20 }, (_, i) => i + 10))
    const through = many.at(-1)!.sk
    expect(applyRecipe({ kind: 'increment', count: 95, from: sk(9), through }, ann, rangeOf(many, through, sk(9)))).toEqual({ count: UNREAD_COUNT_CAP })
    expect(applyRecipe({ kind: 'recount', through }, ann, rangeOf(many, through))).toEqual({ count: UNREAD_COUNT_CAP })
  })

  it('lets a recount stop early, newest first, once it has counted the cap; an increment must read everything', () => {
    const many = from(ben, ...Array.from({ length: UNREAD_COUNT_CAP + 20 }, (_, i) => i + 10))
    const through = many.at(-1)!.sk
    // A partial read: the newest 100 messages, everything above the hundredth from the top.
    const top = { after: many[19]!.sk, through, messages: many.slice(20) }
    expect(applyRecipe({ kind: 'recount', base: sk(1), through }, ann, top)).toEqual({ marker: sk(1), count: UNREAD_COUNT_CAP })
    // One fewer: the count could still be lowered by an own message further down, so it needs more.
    const short = { after: many[20]!.sk, through, messages: many.slice(21) }
    expect(applyRecipe({ kind: 'recount', base: sk(1), through }, ann, short)).toBeUndefined()
    expect(applyRecipe({ kind: 'increment', count: 0, from: sk(9), through }, ann, top)).toBeUndefined()
  })

  it("settles a partial recount at once when the owner's own message is in the part read", () => {
    const messages = [...from(ben, ...Array.from({ length: 30 }, (_, i) => i + 10)), ...from(ann, 35)]
    const through = sk(39)
    const top = { after: sk(30), through, messages: messages.filter((m) => m.sk > sk(30)) }
    expect(applyRecipe({ kind: 'recount', through }, ann, top)).toEqual({ marker: sk(35), count: 4 })
  })
})

describe('newestWithin', () => {
  it('is the newest message of the range in (after, through], whatever the order of the range', () => {
    const range = rangeOf([...from(ben, 6, 2), ...from(ann, 4, 8)], sk(9))
    expect(newestWithin(range, sk(1), sk(7))).toEqual({ sk: sk(6), user_uuid: ben, message: 'm6' })
    expect(newestWithin(range, sk(8), sk(9))).toBeUndefined()
    expect(newestWithin(undefined, sk(1), sk(7))).toBeUndefined()
  })
})
