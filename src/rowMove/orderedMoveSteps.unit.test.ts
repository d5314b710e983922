import { describe, expect, it } from 'vitest'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { compensationItems, orderedMoveSteps } from './orderedMoveSteps.js'

const row = (owner: string, sk: string, state: Partial<StoredMessageGroupRow> = {}): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk,
  message_group_uuid: 'g',
  message: 'm',
  user_uuid: 'x',
  ...state
}) as StoredMessageGroupRow

describe('orderedMoveSteps', () => {
  it('groups the plan by owner, each write with the condition the transaction would give it', () => {
    const old = [row('a', 's1', { last_read_sk: 's1', unread_count: 0 }), row('b', 's1', { unread_count: 1, unread_owner_uuid: 'b' })]
    const steps = orderedMoveSteps('t', {
      puts: [row('a', 's2'), row('b', 's2')],
      deletes: [{ pk: 'GRP#a', sk: 's1' }, { pk: 'GRP#b', sk: 's1' }],
      updates: [{ pk: 'GRP#c', sk: 's0', readState: { unread_count: 0 } }]
    }, old)
    expect(steps.map((s) => [s.pk, s.puts.length, s.deletes.length, s.updates.length])).toEqual([
      ['GRP#a', 1, 1, 0],
      ['GRP#b', 1, 1, 0],
      ['GRP#c', 0, 0, 1]
    ])
    expect(steps[0]!.puts[0]!.ConditionExpression).toBe('attribute_not_exists(pk)')
    // The delete holds the read state as read: a markRead in between fails it.
    expect(steps[0]!.deletes[0]).toEqual({
      TableName: 't',
      Key: { pk: 'GRP#a', sk: 's1' },
      ConditionExpression: 'attribute_exists(pk) AND last_read_sk = :was_last_read_sk AND unread_count = :was_unread_count',
      ExpressionAttributeValues: { ':was_last_read_sk': 's1', ':was_unread_count': 0 }
    })
    expect(steps[1]!.deletes[0]!.ConditionExpression).toBe('attribute_exists(pk) AND attribute_not_exists(last_read_sk) AND unread_count = :was_unread_count')
  })
})

describe('compensationItems', () => {
  it('removes the new row, as written, only while each old row whose delete failed still exists', () => {
    expect(compensationItems('t', row('a', 's2', { unread_count: 2, unread_owner_uuid: 'a' }), [{ pk: 'GRP#a', sk: 's1' }])).toEqual([
      { ConditionCheck: { TableName: 't', Key: { pk: 'GRP#a', sk: 's1' }, ConditionExpression: 'attribute_exists(pk)' } },
      {
        Delete: {
          TableName: 't',
          Key: { pk: 'GRP#a', sk: 's2' },
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(last_read_sk) AND unread_count = :was_unread_count',
          ExpressionAttributeValues: { ':was_unread_count': 2 }
        }
      }
    ])
  })
})
