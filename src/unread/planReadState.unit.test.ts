import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/ValidationError.js'
import { messageRangeToRead, planGroupUpdate } from '../patterns/planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { MessageRange, RangeMessage } from './messageRange.js'
import { applyRecipe, markReadRecipe, readStateRecipe, recipeBounds } from './planReadState.js'
import { readStateOf } from './readState.js'

const G = 'aaaaaaaa-0000-4000-8000-000000000000'
const sk = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z#01${second}`
const from = (user: string, ...seconds: number[]): RangeMessage[] => seconds.map((s) => ({ sk: sk(s), user_uuid: user }))
const range = (after: number | undefined, through: number, messages: RangeMessage[]): MessageRange => ({
  ...(after !== undefined && { after: sk(after) }),
  through: sk(through),
  messages
})
/** `owner`'s row at second `at`, with a read state (or none: a row written before 0.2.0). */
const row = (owner: string, at: number, read?: { marker?: number; count: number }): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk: sk(at),
  message_group_uuid: G,
  message: 'old',
  user_uuid: owner === 'ann' ? 'ben' : 'ann',
  user_display_name: 'X',
  user_handle: 'x',
  ...(read && {
    unread_count: read.count,
    ...(read.marker !== undefined && { last_read_sk: sk(read.marker) }),
    ...(read.count > 0 && { unread_owner_uuid: owner })
  })
})
const latest = (second: number) => ({ messageGroupUuid: G, sortKey: sk(second), message: 'new' })
const input = (rowAt: number, state: ReturnType<typeof readStateOf>, latestAt: number, applied = [latestAt]) => ({
  ownerUuid: 'ann',
  rowSk: sk(rowAt),
  state,
  latestSk: sk(latestAt),
  applied: applied.map(sk)
})

describe('readStateRecipe and applyRecipe (one row)', () => {
  it('adds the other participant\'s new messages to the count when the row moves', () => {
    const recipe = readStateRecipe(input(10, { legacy: false, marker: sk(10), count: 0 }, 13))
    expect(recipe).toEqual({ kind: 'increment', marker: sk(10), count: 0, rowSk: sk(10), through: sk(13) })
    expect(recipeBounds(recipe)).toEqual({ after: sk(10), through: sk(13) })
    if (recipe.kind === 'keep') throw new Error('unreachable')
    expect(applyRecipe(recipe, 'ann', range(10, 13, from('ben', 11, 12, 13)))).toEqual({ marker: sk(10), count: 3 })
  })

  it('marks read up to the owner\'s own newest message: sending marks read for the sender', () => {
    const recipe = readStateRecipe(input(10, { legacy: false, count: 2 }, 14))
    if (recipe.kind === 'keep') throw new Error('unreachable')
    const read = range(10, 14, [...from('ben', 11, 14), ...from('ann', 12), ...from('ben', 13)])
    expect(applyRecipe(recipe, 'ann', read)).toEqual({ marker: sk(12), count: 2 }) // 13 and 14 after her message
  })

  it('counts a row without a count (before 0.2.0) as read up to its old message when it moves, and leaves it alone otherwise', () => {
    const recipe = readStateRecipe(input(10, { legacy: true }, 12))
    expect(recipe).toEqual({ kind: 'recount', base: sk(10), through: sk(12) })
    if (recipe.kind === 'keep') throw new Error('unreachable')
    expect(applyRecipe(recipe, 'ann', range(10, 12, from('ben', 11, 12)))).toEqual({ marker: sk(10), count: 2 })
    expect(readStateRecipe(input(12, { legacy: true }, 11))).toEqual({ kind: 'keep' })
    expect(readStateRecipe(input(12, { legacy: true }, 12))).toEqual({ kind: 'keep' })
  })

  it('recounts from the marker when a message applied lies at or below the row (a repeat, or a late write)', () => {
    const state = { legacy: false as const, marker: sk(5), count: 1 }
    expect(readStateRecipe(input(10, state, 8))).toEqual({ kind: 'recount', base: sk(5), through: sk(10) })
    expect(readStateRecipe(input(10, state, 10))).toEqual({ kind: 'recount', base: sk(5), through: sk(10) })
    // The batch moves the row and also holds a late message below its old position.
    expect(readStateRecipe(input(10, state, 12, [7, 12]))).toEqual({ kind: 'recount', base: sk(5), through: sk(12) })
    const recipe = readStateRecipe(input(10, state, 8))
    if (recipe.kind === 'keep') throw new Error('unreachable')
    // The late message at 8 was not in the count of 1: the recount finds both.
    expect(applyRecipe(recipe, 'ann', range(5, 10, from('ben', 8, 10)))).toEqual({ marker: sk(5), count: 2 })
  })

  it('recounts from the first message for a row never read', () => {
    const recipe = readStateRecipe(input(10, { legacy: false, count: 1 }, 10))
    expect(recipe).toEqual({ kind: 'recount', through: sk(10) })
    expect(recipeBounds(recipe)).toEqual({ through: sk(10) })
  })

  it('needs nothing for a message at or below the marker', () => {
    expect(readStateRecipe(input(10, { legacy: false, marker: sk(9), count: 1 }, 9))).toEqual({ kind: 'keep' })
    expect(readStateRecipe(input(10, { legacy: false, marker: sk(9), count: 1 }, 4))).toEqual({ kind: 'keep' })
  })

  it('counts only after a marker that is ahead of the row (read before the row moved)', () => {
    const recipe = readStateRecipe(input(10, { legacy: false, marker: sk(12), count: 0 }, 14))
    expect(recipe).toEqual({ kind: 'recount', base: sk(12), through: sk(14) })
    if (recipe.kind === 'keep') throw new Error('unreachable')
    expect(applyRecipe(recipe, 'ann', range(12, 14, from('ben', 13, 14)))).toEqual({ marker: sk(12), count: 2 })
    const ahead = readStateRecipe(input(10, { legacy: false, marker: sk(15), count: 0 }, 14))
    expect(recipeBounds(ahead)).toBeUndefined()
    if (ahead.kind === 'keep') throw new Error('unreachable')
    expect(applyRecipe(ahead, 'ann', undefined)).toEqual({ marker: sk(15), count: 0 })
  })
})

describe('markReadRecipe', () => {
  it('never moves the marker backwards, and a repeat is a no-op', () => {
    const state = readStateOf(row('ann', 10, { marker: 8, count: 2 }))
    expect(markReadRecipe(sk(10), state, sk(8))).toEqual({ kind: 'keep' })
    expect(markReadRecipe(sk(10), state, sk(7))).toEqual({ kind: 'keep' })
    expect(markReadRecipe(sk(10), state, sk(9))).toEqual({ kind: 'recount', base: sk(9), through: sk(10) })
  })

  it('counts what follows the new marker, up to the row, and moves it past the owner\'s own messages there', () => {
    const recipe = markReadRecipe(sk(10), readStateOf(row('ann', 10, { count: 4 })), sk(6))
    if (recipe.kind === 'keep') throw new Error('unreachable')
    expect(applyRecipe(recipe, 'ann', range(6, 10, [...from('ben', 7, 10), ...from('ann', 8)]))).toEqual({ marker: sk(8), count: 1 })
  })

  it('takes a row without a count as read up to its message', () => {
    const legacy = readStateOf(row('ann', 10))
    expect(markReadRecipe(sk(10), legacy, sk(9))).toEqual({ kind: 'keep' })
    const recipe = markReadRecipe(sk(10), legacy, sk(11))
    expect(recipeBounds(recipe)).toBeUndefined()
    if (recipe.kind === 'keep') throw new Error('unreachable')
    expect(applyRecipe(recipe, 'ann', undefined)).toEqual({ marker: sk(11), count: 0 })
  })
})

describe('readStateOf', () => {
  it('reads a missing or malformed count as a row without one, and a malformed marker as none', () => {
    expect(readStateOf({})).toEqual({ legacy: true })
    for (const count of ['3', -1, 1.5, Number.NaN, null]) expect(readStateOf({ unread_count: count })).toEqual({ legacy: true })
    expect(readStateOf({ unread_count: 2, last_read_sk: 'garbage' })).toEqual({ legacy: false, count: 2 })
    expect(readStateOf({ unread_count: 0, last_read_sk: sk(1) })).toEqual({ legacy: false, count: 0, marker: sk(1) })
  })
})

describe('planGroupUpdate with counting', () => {
  it('moves rows with their new read state, the unread owner set only while something is unread', () => {
    const rows = [row('ann', 10, { marker: 10, count: 0 }), row('ben', 10, { marker: 9, count: 1 })]
    expect(messageRangeToRead(rows, latest(12))).toEqual({ after: sk(10), through: sk(12) })
    const plan = planGroupUpdate(rows, latest(12), { range: range(10, 12, [...from('ben', 11), ...from('ann', 12)]) })
    expect(plan.puts.map((put) => [put.pk, put.last_read_sk, put.unread_count, put.unread_owner_uuid])).toEqual([
      ['GRP#ann', sk(12), 0, undefined],
      ['GRP#ben', sk(11), 1, 'ben']
    ])
    expect(plan.updates).toBeUndefined()
  })

  it('recounts in place a row that a late message changes, and reads nothing when no count can change', () => {
    // Ann's messages at 10 and 12 were counted when Ben's row moved to 12; her message at 11 was written after that
    // read (its sender's clock was behind), so its record finds the rows already at 12.
    const messages = range(9, 12, from('ann', 10, 11, 12))
    const rows = [row('ann', 12, { marker: 12, count: 0 }), row('ben', 12, { marker: 9, count: 2 })]
    expect(messageRangeToRead(rows, latest(11), [sk(11)])).toEqual({ after: sk(9), through: sk(12) })
    expect(planGroupUpdate(rows, latest(11), { range: messages })).toEqual({
      deletes: [],
      puts: [],
      updates: [{ pk: 'GRP#ben', sk: sk(12), readState: { last_read_sk: sk(9), unread_count: 3, unread_owner_uuid: 'ben' } }]
    })
    // Delivered again once counted: nothing to write (Ann's own message is behind her marker).
    const counted = [row('ann', 12, { marker: 12, count: 0 }), row('ben', 12, { marker: 9, count: 3 })]
    expect(planGroupUpdate(counted, latest(11), { range: messages })).toEqual({ deletes: [], puts: [] })
    expect(messageRangeToRead([row('ann', 12, { marker: 12, count: 0 })], latest(12))).toBeUndefined()
  })

  it('folds an owner\'s duplicate rows to the newest with the newest marker among them, recounted from it', () => {
    // A torn ordered move to 12 (Ann's 11 and 12 unread on the new row), then a markRead on the old row up to 11.
    const torn = [row('ann', 12, { marker: 12, count: 0 }), row('ben', 10, { marker: 11, count: 0 }), row('ben', 12, { marker: 9, count: 2 })]
    const messages = range(9, 12, from('ann', 10, 11, 12))
    // The redelivery of 12: Ben's new row stays, takes marker 11 and counts only 12; his old row goes.
    expect(messageRangeToRead(torn, latest(12))).toEqual({ after: sk(11), through: sk(12) })
    expect(planGroupUpdate(torn, latest(12), { range: range(11, 12, from('ann', 12)) })).toEqual({
      deletes: [{ pk: 'GRP#ben', sk: sk(10) }],
      puts: [],
      updates: [{ pk: 'GRP#ben', sk: sk(12), readState: { last_read_sk: sk(11), unread_count: 1, unread_owner_uuid: 'ben' } }]
    })
    // The next message instead: the moved row is recounted from marker 11, not incremented from the stale count.
    const next = planGroupUpdate(torn, latest(13), { range: range(9, 13, [...messages.messages, ...from('ann', 13)]) })
    expect(next.puts.filter((put) => put.pk === 'GRP#ben').map((put) => [put.sk, put.last_read_sk, put.unread_count])).toEqual([[sk(13), sk(11), 2]])
    expect(next.deletes).toEqual([{ pk: 'GRP#ann', sk: sk(12) }, { pk: 'GRP#ben', sk: sk(10) }, { pk: 'GRP#ben', sk: sk(12) }])
    // The newest row's own marker, when it is the newest, is kept as it was (nothing to recount).
    const ahead = [row('ann', 12, { marker: 12, count: 0 }), row('ben', 10, { marker: 9, count: 1 }), row('ben', 12, { marker: 12, count: 0 })]
    expect(planGroupUpdate(ahead, latest(12), { range: messages })).toEqual({ deletes: [{ pk: 'GRP#ben', sk: sk(10) }], puts: [] })
  })

  it('writes moved rows without a read state when not counting, and refuses a range that does not hold what it needs', () => {
    const rows = [row('ann', 10, { marker: 10, count: 0 })]
    expect(planGroupUpdate(rows, latest(12)).puts[0]).not.toHaveProperty('unread_count')
    expect(() => planGroupUpdate(rows, latest(12), { range: range(11, 12, []) })).toThrow(ValidationError)
    expect(() => planGroupUpdate(rows, latest(12), {})).toThrow(ValidationError)
    expect(() => planGroupUpdate(rows, latest(12), { range: { through: 7 } as never })).toThrow(ValidationError)
  })
})
