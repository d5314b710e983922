import { describe, expect, it } from 'vitest'
import { planGroupSync } from './planGroupSync.js'
import { planGroupUpdate } from './planGroupUpdate.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { LatestMessage, Participant } from '../types.js'

const g = 'aaaaaaaa-0000-4000-8000-000000000000'
const people: Record<string, Participant> = {
  ann: { uuid: 'ann', displayName: 'Ann', handle: 'ann' },
  ben: { uuid: 'ben', displayName: 'Ben', handle: 'ben' },
  eve: { uuid: 'eve', displayName: 'Eve', handle: 'eve' }
}
const T1 = '2023-03-01T10:00:01.123456+00:00'
const T2 = '2026-01-01T00:00:02.000Z#01B'
/** `owner`'s row, describing `other`. */
const row = (owner: string, other: string, sk = T1, group = g): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk,
  message_group_uuid: group,
  message: 'old',
  user_uuid: other,
  user_display_name: people[other]!.displayName,
  user_handle: people[other]!.handle
})
const from = (sender?: string, fields = true): LatestMessage => ({
  messageGroupUuid: g,
  sortKey: T2,
  message: 'new',
  ...(sender && { userUuid: sender }),
  ...(sender && fields && { displayName: people[sender]!.displayName, handle: people[sender]!.handle })
})

describe('planGroupSync', () => {
  it('plans the moves when the view shows every participant', () => {
    const rows = [row('ann', 'ben'), row('ben', 'ann')]
    expect(planGroupSync({ rows }, from('ben'))).toEqual({
      complete: true,
      plan: planGroupUpdate(rows, from('ben')),
      recreated: 0,
      lost: [],
      owners: ['ann', 'ben']
    })
  })

  it('is incomplete while an owner the view names has no row in it (a lagging index)', () => {
    expect(planGroupSync({ rows: [row('ann', 'ben')] }, from('ann'))).toEqual({ complete: false, unseen: ['ben'] })
    expect(planGroupSync({ rows: [row('ann', 'ben')] }, from())).toEqual({ complete: false, unseen: ['ben'] })
  })

  it('expects the sender even when the view shows no row at all', () => {
    expect(planGroupSync({ rows: [] }, from('ben'))).toEqual({ complete: false, unseen: ['ben'] })
  })

  it('is incomplete, with nobody to look for, when nobody is known or only one person', () => {
    expect(planGroupSync({ rows: [] }, from())).toEqual({ complete: false, unseen: [] })
    expect(planGroupSync({ rows: [], absent: ['ben'] }, from('ben'))).toEqual({ complete: false, unseen: [] })
  })

  it('expects the members item\'s members when there is one, and no one else', () => {
    const members = [people.ann!, people.ben!]
    expect(planGroupSync({ rows: [row('ann', 'ben')], members }, from('ann'))).toEqual({ complete: false, unseen: ['ben'] })
    expect(planGroupSync({ rows: [], members }, from('eve'))).toEqual({ complete: false, unseen: ['ann', 'ben'] })
    const rows = [row('ann', 'ben'), row('ben', 'ann')]
    expect(planGroupSync({ rows, members }, from('eve'))).toMatchObject({ complete: true, recreated: 0, lost: [] })
  })

  it('rebuilds a row confirmed absent when the sender is the participant it describes', () => {
    const decision = planGroupSync({ rows: [row('ann', 'ben')], absent: ['ben'] }, from('ann'))
    expect(decision).toEqual({
      complete: true,
      plan: {
        deletes: [{ pk: 'GRP#ann', sk: T1 }],
        puts: [
          { ...row('ann', 'ben', T2), message: 'new' },
          { ...row('ben', 'ann', T2), message: 'new' }
        ]
      },
      recreated: 1,
      lost: [],
      owners: ['ann', 'ben']
    })
  })

  it('reports a row confirmed absent as lost when nothing names the participant it would describe', () => {
    // Ben wrote; Ben's row would describe Ann, and only Ann's row (which describes Ben) was read.
    const decision = planGroupSync({ rows: [row('ann', 'ben')], absent: ['ben'] }, from('ben'))
    expect(decision).toEqual({
      complete: true,
      plan: { deletes: [{ pk: 'GRP#ann', sk: T1 }], puts: [{ ...row('ann', 'ben', T2), message: 'new' }] },
      recreated: 0,
      lost: [{ messageGroupUuid: g, ownerUuid: 'ben', otherUserUuid: 'ann' }],
      owners: ['ann']
    })
    // A sender without name and handle cannot be described either.
    const unnamed = planGroupSync({ rows: [row('ann', 'ben')], absent: ['ben'] }, from('ann', false))
    expect(unnamed).toMatchObject({ recreated: 0, lost: [{ ownerUuid: 'ben', otherUserUuid: 'ann' }] })
  })

  it('rebuilds every absent row from the members item, the sender described with the fields of the message', () => {
    const members = [people.ann!, { ...people.ben!, displayName: 'Old name' }]
    const decision = planGroupSync({ rows: [], members, absent: ['ann', 'ben'] }, from('ben'))
    expect(decision).toEqual({
      complete: true,
      plan: {
        deletes: [],
        puts: [
          { ...row('ann', 'ben', T2), message: 'new' },
          { ...row('ben', 'ann', T2), message: 'new' }
        ]
      },
      recreated: 2,
      lost: [],
      owners: ['ann', 'ben']
    })
  })

  it('does not expect a stranger who posted into a pair the rows already name', () => {
    // The bootcamp code let anyone post anywhere; a conversation is still a pair.
    const rows = [row('ann', 'ben'), row('ben', 'ann')]
    expect(planGroupSync({ rows }, from('eve'))).toEqual({ complete: true, plan: planGroupUpdate(rows, from('eve')), recreated: 0, lost: [], owners: ['ann', 'ben'] })
    expect(planGroupSync({ rows: [row('ann', 'ben')] }, from('eve'))).toEqual({ complete: false, unseen: ['ben'] })
  })

  it('reports a lost row without the other participant when the rows name more than two people', () => {
    const rows = [row('ann', 'ben'), row('eve', 'ann')]
    const decision = planGroupSync({ rows, absent: ['ben'] }, from('ann'))
    expect(decision).toMatchObject({ complete: true, recreated: 0, lost: [{ messageGroupUuid: g, ownerUuid: 'ben' }] })
    expect(decision.complete && decision.lost[0]).not.toHaveProperty('otherUserUuid')
  })

  it('folds duplicates and rebuilds in one plan, and ignores rows of other conversations', () => {
    const rows = [row('ann', 'ben'), row('ann', 'ben', '2023-03-01T10:00:00+00:00'), row('eve', 'ann', T1, 'other')]
    const decision = planGroupSync({ rows, absent: ['ben'] }, from('ann'))
    expect(decision).toMatchObject({ complete: true, recreated: 1, lost: [] })
    expect(decision.complete && decision.plan.deletes).toEqual([
      { pk: 'GRP#ann', sk: T1 },
      { pk: 'GRP#ann', sk: '2023-03-01T10:00:00+00:00' }
    ])
    expect(decision.complete && decision.plan.puts.map((put) => [put.pk, put.sk])).toEqual([
      ['GRP#ann', T2],
      ['GRP#ben', T2]
    ])
  })
})
