import { describe, expect, it } from 'vitest'
import type { LegacyRow } from '../maintenance/legacyLayout.js'
import { legacyMarker } from './legacyMarker.js'

const G = '99999999-9999-4999-8999-999999999999'
const A = '11111111-1111-4111-8111-111111111111'
const T1 = '2024-01-01T10:00:00+00:00'
const T2 = '2024-01-01T11:00:00.500000+00:00'
const T3 = '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
const FILLER = '2024-01-02T00:00:00.123456+00:00' // the bootcamp seed's: after every message
const stored = new Set([T1, T2, T3])
const isStored = (sk: string) => stored.has(sk)
const row = (sk: string, extra: Partial<LegacyRow> = {}): LegacyRow => ({ pk: `GRP#${A}`, sk, message_group_uuid: G, ...extra })

describe('legacyMarker', () => {
  it("takes 0.2's marker, the newest of several rows' markers", () => {
    expect(legacyMarker([row(T3, { last_read_sk: T1, unread_count: 2 })], isStored, T3)).toBe(T1)
    expect(legacyMarker([row(T2, { last_read_sk: T1, unread_count: 1 }), row(T3, { last_read_sk: T2, unread_count: 1 })], isStored, T3)).toBe(T2)
  })

  it('a 0.2 row with a count and no marker was never read', () => {
    expect(legacyMarker([row(T3, { unread_count: 4 })], isStored, T3)).toBeUndefined()
  })

  it("reads a bootcamp row up to its own message when that is stored, else up to the newest (the seed's filler rows)", () => {
    expect(legacyMarker([row(T2)], isStored, T3)).toBe(T2)
    expect(legacyMarker([row(FILLER, { message: 'this is a filler message' })], isStored, T3)).toBe(T3)
    // Duplicates left by the bootcamp's stream function: the newest wins.
    expect(legacyMarker([row(T1), row(T2)], isStored, T3)).toBe(T2)
  })

  it('a member without any old row (lost) is read up to the newest message; a marker that is no sort key is none', () => {
    expect(legacyMarker([], isStored, T3)).toBe(T3)
    expect(legacyMarker([row(T2, { last_read_sk: 'garbage', unread_count: 0 })], isStored, T3)).toBeUndefined()
  })
})
