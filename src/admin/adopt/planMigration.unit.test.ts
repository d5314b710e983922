import { describe, expect, it } from 'vitest'
import type { StoredMessageGroupRow } from '../../table/rows.js'
import { planMigration, type MigrationInput } from './planMigration.js'

const G = '99999999-9999-4999-8999-999999999999'
const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'
const ada = { uuid: A, displayName: 'Ada', handle: 'ada' }
const ben = { uuid: B, displayName: 'Ben', handle: 'ben' }
const NEWEST = '2024-01-01T11:00:00+00:00'
const newRow = (owner: string, other: typeof ada): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk: `MSG#${G}`,
  last_sk: NEWEST,
  message: 'hi',
  user_uuid: other.uuid,
  user_display_name: other.displayName,
  user_handle: other.handle,
  last_read_sk: NEWEST,
  unread_count: 0,
  rev: 1
})
const input = (extra: Partial<MigrationInput> = {}): MigrationInput => ({
  tableName: 't',
  messageGroupUuid: G,
  hasConversation: false,
  createdAt: '2024-01-01T10:00:00.000Z',
  participants: [ada, ben],
  withMembership: [],
  newRows: [newRow(A, ben), newRow(B, ada)],
  legacyRows: [
    { pk: `GRP#${A}`, sk: NEWEST, message_group_uuid: G, message: 'hi', user_uuid: B },
    { pk: `GRP#${B}`, sk: NEWEST, message_group_uuid: G, message: 'hi', user_uuid: A, last_read_sk: NEWEST, unread_count: 0 }
  ],
  legacyMembers: true,
  ...extra
})

describe('planMigration', () => {
  it('creates the conversation, memberships and rows where nothing is, then deletes the old items only as they were read', () => {
    const plan = planMigration(input())
    expect(plan.creations).toBe(5)
    expect(plan.written).toEqual({ conversations: 1, memberships: 2, rows: 2 })
    expect(plan.deleted).toEqual({ rows: 2, membersItems: 1 })
    expect(plan.items.slice(0, 5)).toEqual([
      { Put: { TableName: 't', Item: { pk: `MSG#${G}`, sk: '#CONVERSATION', kind: 'direct', created_at: '2024-01-01T10:00:00.000Z' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: 't',
          Item: { pk: `MSG#${G}`, sk: `#MEMBER#${A}`, user_display_name: 'Ada', user_handle: 'ada', joined_at: '2024-01-01T10:00:00.000Z' },
          ConditionExpression: 'attribute_not_exists(pk)'
        }
      },
      expect.objectContaining({ Put: expect.objectContaining({ Item: expect.objectContaining({ sk: `#MEMBER#${B}` }) }) }),
      { Put: { TableName: 't', Item: newRow(A, ben), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: 't', Item: newRow(B, ada), ConditionExpression: 'attribute_not_exists(pk)' } }
    ])
    // A bootcamp row: its attributes as read, the 0.2 ones absent.
    expect(plan.items[5]).toEqual({
      Delete: {
        TableName: 't',
        Key: { pk: `GRP#${A}`, sk: NEWEST },
        ConditionExpression:
          '#message_group_uuid = :message_group_uuid AND #message = :message AND #user_uuid = :user_uuid AND ' +
          'attribute_not_exists(#last_read_sk) AND attribute_not_exists(#unread_count)',
        ExpressionAttributeNames: {
          '#message_group_uuid': 'message_group_uuid',
          '#message': 'message',
          '#user_uuid': 'user_uuid',
          '#last_read_sk': 'last_read_sk',
          '#unread_count': 'unread_count'
        },
        ExpressionAttributeValues: { ':message_group_uuid': G, ':message': 'hi', ':user_uuid': B }
      }
    })
    expect(plan.items[6]).toMatchObject({ Delete: { ExpressionAttributeValues: { ':last_read_sk': NEWEST, ':unread_count': 0 } } })
    expect(plan.items[7]).toEqual({ Delete: { TableName: 't', Key: { pk: `MSG#${G}`, sk: '#MEMBERS' }, ConditionExpression: 'attribute_exists(members)' } })
  })

  it('writes only what is missing: an existing conversation item, memberships and rows are kept', () => {
    const plan = planMigration(input({ hasConversation: true, withMembership: [A, B], newRows: [newRow(B, ada)], legacyMembers: false }))
    expect(plan.creations).toBe(1)
    expect(plan.written).toEqual({ conversations: 0, memberships: 0, rows: 1 })
    expect(plan.deleted).toEqual({ rows: 2, membersItems: 0 })
    expect(plan.items).toHaveLength(3)
  })
})
