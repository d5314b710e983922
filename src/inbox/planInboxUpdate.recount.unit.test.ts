import { describe, expect, it } from 'vitest'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { planInboxUpdate } from './planInboxUpdate.js'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'
const sk = (n: number) => `2026-01-01T00:00:0${n}.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2H${n}`
const messages = [1, 2, 3].map((n) => ({ sk: sk(n), user_uuid: n === 1 ? B : A, message: `m${n}` }))
const range = { through: sk(3), messages }
const row = (extra: Partial<StoredMessageGroupRow>): StoredMessageGroupRow => ({
  pk: `GRP#${B}`,
  sk: 'MSG#g',
  last_sk: sk(3),
  message: 'm3',
  user_uuid: A,
  user_display_name: 'Ada',
  user_handle: 'ada',
  last_read_sk: sk(1),
  unread_count: 2,
  unread_owner_uuid: B,
  rev: 4,
  ...extra
})

describe('planInboxUpdate with recount', () => {
  it('recounts a count that a stored value alone would keep: a row read to its end with a count left over', () => {
    const wrong = row({ last_read_sk: sk(3), unread_count: 5 })
    const view = { rows: [wrong], latestSk: sk(3), applied: [sk(3)], range }
    expect(planInboxUpdate(view)).toEqual({ kind: 'write', updates: [], participants: [{ userUuid: B, unreadCount: 5, lastReadSortKey: sk(3) }] })
    expect(planInboxUpdate({ ...view, recount: true })).toMatchObject({
      kind: 'write',
      updates: [{ pk: `GRP#${B}`, rev: 4, set: { last_sk: sk(3), message: 'm3', last_read_sk: sk(3), unread_count: 0 } }]
    })
  })

  it('recounts a row behind instead of adding to its count, and leaves a right row out of the writes', () => {
    const behind = row({ last_sk: sk(2), message: 'm2', unread_count: 9 })
    expect(planInboxUpdate({ rows: [behind], latestSk: sk(3), applied: [sk(3)], range, recount: true })).toMatchObject({
      updates: [{ set: { last_sk: sk(3), message: 'm3', last_read_sk: sk(1), unread_count: 2, unread_owner_uuid: B } }]
    })
    expect(planInboxUpdate({ rows: [row({})], latestSk: sk(3), applied: [sk(3)], range, recount: true })).toMatchObject({ updates: [] })
  })
})
