import { describe, expect, it } from 'vitest'
import { lastReadAtOf, participantReadState, readStateOf, storedReadState, UNREAD_COUNT_CAP } from './readState.js'

const marker = '2026-01-01T00:00:01.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
const seedMarker = '2023-03-01T12:34:56.123456+00:00'

describe('readStateOf', () => {
  it('reads the marker and a valid count', () => {
    expect(readStateOf({ last_read_sk: marker, unread_count: 3 })).toEqual({ marker, count: 3 })
    expect(readStateOf({ last_read_sk: seedMarker, unread_count: 0 })).toEqual({ marker: seedMarker, count: 0 })
    expect(readStateOf({ unread_count: UNREAD_COUNT_CAP })).toEqual({ count: UNREAD_COUNT_CAP })
  })

  it('has no count for one other code wrote: negative, above the cap, fractional, not a number, absent', () => {
    for (const unread_count of [-1, UNREAD_COUNT_CAP + 1, 1.5, Number.NaN, Infinity, '3', null, undefined, {}]) {
      expect(readStateOf({ last_read_sk: marker, unread_count })).toEqual({ marker })
    }
  })

  it('has no marker for anything that is not a message sort key', () => {
    for (const last_read_sk of ['', '#CONVERSATION', 'MSG#x', 42, null, undefined, 'x'.repeat(2000)]) {
      expect(readStateOf({ last_read_sk, unread_count: 1 })).toEqual({ count: 1 })
    }
  })
})

describe('storedReadState', () => {
  it('keys the unread-index by the owner only while something is unread', () => {
    expect(storedReadState('ann', { marker, count: 2 })).toEqual({ last_read_sk: marker, unread_count: 2, unread_owner_uuid: 'ann' })
    expect(storedReadState('ann', { marker, count: 0 })).toEqual({ last_read_sk: marker, unread_count: 0 })
    expect(storedReadState('ann', { count: 1 })).toEqual({ unread_count: 1, unread_owner_uuid: 'ann' })
  })

  it('round-trips through readStateOf', () => {
    for (const state of [{ marker, count: 7 }, { count: 0 }, { marker: seedMarker, count: UNREAD_COUNT_CAP }]) {
      expect(readStateOf(storedReadState('ann', state))).toEqual(state)
    }
  })
})

describe('participantReadState', () => {
  it('is the owner from the row key, the count (0 when invalid) and the marker', () => {
    expect(participantReadState({ pk: 'GRP#ann', last_read_sk: marker, unread_count: 4 })).toEqual({ userUuid: 'ann', unreadCount: 4, lastReadSortKey: marker })
    expect(participantReadState({ pk: 'GRP#ben', unread_count: -3 })).toEqual({ userUuid: 'ben', unreadCount: 0 })
  })
})

describe('lastReadAtOf', () => {
  it("is the marker's time, the marker itself when it holds none, or nothing without a marker", () => {
    expect(lastReadAtOf(marker)).toBe('2026-01-01T00:00:01.000Z')
    expect(lastReadAtOf(seedMarker)).toBe('2023-03-01T12:34:56.123Z')
    expect(lastReadAtOf('2026-99-99T00:00x')).toBe('2026-99-99T00:00x')
    expect(lastReadAtOf(undefined)).toBeUndefined()
  })
})
