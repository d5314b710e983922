import { describe, expect, it } from 'vitest'
import { memberCountUpdate, memberPuts, roleCheck } from './groupItems.js'

const ada = { uuid: '11111111-1111-4111-8111-111111111111', displayName: 'Ada', handle: 'ada' }
const ben = { uuid: '22222222-2222-4222-8222-222222222222', displayName: 'Ben', handle: 'ben' }
const group = '33333333-3333-4333-8333-333333333333'
const sk = '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
const joinedAt = '2026-01-02T00:00:00.000Z'

describe('memberPuts', () => {
  it('adds a member with their role, their row read up to the join point (nothing unread), both only if absent', () => {
    const [membership, row] = memberPuts('t', group, ben, 'member', joinedAt, { sk, message: { text: 'hi', sender: ada } })
    expect(membership!.Put).toMatchObject({
      Item: { pk: `MSG#${group}`, sk: `#MEMBER#${ben.uuid}`, role: 'member', joined_at: joinedAt, user_handle: 'ben' },
      ConditionExpression: 'attribute_not_exists(pk)'
    })
    expect(row!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)' })
    expect(row!.Put.Item).toEqual({
      pk: `GRP#${ben.uuid}`,
      sk: `MSG#${group}`,
      kind: 'group',
      last_sk: sk,
      message: 'hi',
      sender_uuid: ada.uuid,
      sender_display_name: 'Ada',
      sender_handle: 'ada',
      last_read_sk: sk,
      unread_count: 0,
      rev: 1
    })
  })

  it("a group's first members have its first message unread, in the unread index", () => {
    const [, row] = memberPuts('t', group, ben, 'member', joinedAt, { sk, message: { text: 'hi', sender: ada } }, false)
    expect(row!.Put.Item).toMatchObject({ unread_count: 1, unread_owner_uuid: ben.uuid })
    expect(row!.Put.Item).not.toHaveProperty('last_read_sk')
  })

  it('before a first message the row sits at the creation, with no text and nothing unread', () => {
    const [, row] = memberPuts('t', group, ben, 'member', joinedAt, { sk }, false)
    expect(row!.Put.Item).toMatchObject({ last_sk: sk, last_read_sk: sk, unread_count: 0 })
    expect(row!.Put.Item).not.toHaveProperty('message')
    expect(row!.Put.Item).not.toHaveProperty('sender_uuid')
  })
})

describe('memberCountUpdate', () => {
  it('adds k only while the group stays within the limit', () => {
    expect(memberCountUpdate('t', group, 49, 1000).Update).toMatchObject({
      UpdateExpression: 'ADD member_count :by',
      ExpressionAttributeValues: { ':by': 49, ':group': 'group', ':most': 951 }
    })
    expect(memberCountUpdate('t', group, -1, 1000).Update.ExpressionAttributeValues).toMatchObject({ ':by': -1, ':most': 1000 })
  })
})

describe('roleCheck', () => {
  it('checks the actor holds one of the roles', () => {
    expect(roleCheck('t', group, ada.uuid, ['owner', 'admin']).ConditionCheck).toMatchObject({
      Key: { pk: `MSG#${group}`, sk: `#MEMBER#${ada.uuid}` },
      ConditionExpression: '#role IN (:role0, :role1)',
      ExpressionAttributeValues: { ':role0': 'owner', ':role1': 'admin' }
    })
  })
})
