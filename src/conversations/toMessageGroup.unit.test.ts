import { describe, expect, it } from 'vitest'
import type { FormattedMessageGroup } from '../table/rows.js'
import { toMessageGroup } from './toMessageGroup.js'

const sk = '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
const group = '33333333-3333-4333-8333-333333333333'
const row = (fields: Record<string, unknown>) => ({ message_group_uuid: group, last_sk: sk, unread_count: 0, rev: 1, ...fields }) as unknown as FormattedMessageGroup

describe('toMessageGroup', () => {
  it("shows a group's row with the title and member count joined from its conversation item, and its last sender", () => {
    const item = row({ kind: 'group', message: 'hi', sender_uuid: 'u1', sender_display_name: 'Ada', sender_handle: 'ada', unread_count: 3 })
    expect(toMessageGroup(item, { title: 'Launch', memberCount: 12 })).toEqual({
      kind: 'group',
      messageGroupUuid: group,
      lastMessage: 'hi',
      lastMessageAt: '2026-01-01T00:00:00.000Z',
      sortKey: sk,
      unreadCount: 3,
      title: 'Launch',
      memberCount: 12,
      lastSenderUuid: 'u1',
      lastSenderDisplayName: 'Ada',
      lastSenderHandle: 'ada'
    })
  })

  it('shows a group before its first message without a last message or sender', () => {
    const shown = toMessageGroup(row({ kind: 'group', last_read_sk: sk }), { title: 'New', memberCount: 2 })
    expect(shown).toMatchObject({ kind: 'group', title: 'New', lastReadSortKey: sk })
    expect(shown).not.toHaveProperty('lastMessage')
    expect(shown).not.toHaveProperty('lastSenderUuid')
  })

  it("leaves out a group's row whose conversation item was not found", () => {
    expect(toMessageGroup(row({ kind: 'group', message: 'hi' }))).toBeUndefined()
  })

  it('shows a direct row with the other participant, as before', () => {
    const item = row({ message: 'yo', user_uuid: 'u2', user_display_name: 'Ben', user_handle: 'ben', sender_uuid: 'u2' })
    expect(toMessageGroup(item)).toMatchObject({ kind: 'direct', otherUserUuid: 'u2', otherUserHandle: 'ben', lastMessage: 'yo', lastSenderUuid: 'u2' })
    expect(toMessageGroup(row({ message: 'yo' }))).toBeUndefined()
  })
})
