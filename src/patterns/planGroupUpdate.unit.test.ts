import { describe, expect, it } from 'vitest'
import { planGroupUpdate } from './planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

const g = 'aaaaaaaa-0000-4000-8000-000000000000'
const row = (owner: string, sk: string, message = 'old'): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk,
  message_group_uuid: g,
  message,
  user_uuid: owner === 'alice' ? 'bob' : 'alice',
  user_display_name: 'X',
  user_handle: 'x'
})
const T1 = '2026-01-01T00:00:01.000Z#01A'
const T2 = '2026-01-01T00:00:02.000Z#01B'
const T3 = '2026-01-01T00:00:03.000Z#01C'

describe('planGroupUpdate', () => {
  it('moves every participant\'s row to a newer message', () => {
    const plan = planGroupUpdate([row('alice', T1), row('bob', T1)], { messageGroupUuid: g, sortKey: T2, message: 'new' })
    expect(plan.deletes).toEqual([{ pk: 'GRP#alice', sk: T1 }, { pk: 'GRP#bob', sk: T1 }])
    expect(plan.puts).toEqual([
      { ...row('alice', T2), message: 'new' },
      { ...row('bob', T2), message: 'new' }
    ])
  })

  it('never moves back and does nothing for the same message again', () => {
    const rows = [row('alice', T2), row('bob', T2)]
    expect(planGroupUpdate(rows, { messageGroupUuid: g, sortKey: T1, message: 'older' })).toEqual({ deletes: [], puts: [] })
    expect(planGroupUpdate(rows, { messageGroupUuid: g, sortKey: T2, message: 'same' })).toEqual({ deletes: [], puts: [] })
  })

  it('moves only the participant that is behind', () => {
    const plan = planGroupUpdate([row('alice', T3), row('bob', T1)], { messageGroupUuid: g, sortKey: T2, message: 'new' })
    expect(plan.deletes).toEqual([{ pk: 'GRP#bob', sk: T1 }])
    expect(plan.puts.map((p) => [p.pk, p.sk])).toEqual([['GRP#bob', T2]])
  })

  it('folds duplicates into one row, keeping the other participant\'s details', () => {
    const plan = planGroupUpdate([row('alice', T1), row('alice', T2), row('alice', T2)], {
      messageGroupUuid: g,
      sortKey: T3,
      message: 'new'
    })
    expect(plan.deletes).toEqual([{ pk: 'GRP#alice', sk: T1 }, { pk: 'GRP#alice', sk: T2 }])
    expect(plan.puts).toEqual([{ ...row('alice', T3), message: 'new' }])
    const cleanup = planGroupUpdate([row('alice', T1), row('alice', T3)], { messageGroupUuid: g, sortKey: T2, message: 'x' })
    expect(cleanup).toEqual({ deletes: [{ pk: 'GRP#alice', sk: T1 }], puts: [] })
  })

  it('ignores rows of other conversations', () => {
    const other = { ...row('alice', T1), message_group_uuid: 'other' }
    expect(planGroupUpdate([other], { messageGroupUuid: g, sortKey: T2, message: 'x' })).toEqual({ deletes: [], puts: [] })
  })
})
