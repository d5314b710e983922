import { describe, expect, it } from 'vitest'
import { EntityFormatter } from 'dynamodb-toolbox/entity/actions/format'
import { MessageEntity, MessageGroupEntity } from '../table/createMessagingTable.js'
import { formatListedItem } from './formatListedItem.js'

const messages = MessageEntity.build(EntityFormatter)
const rows = MessageGroupEntity.build(EntityFormatter)
const sk = '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF'
const message = { pk: 'MSG#g', sk, message_uuid: 'm', message: 'hi', user_uuid: 'u', user_display_name: 'Ann', user_handle: 'ann' }
const g = '0b1c5d9e-3f4a-4b6c-8d7e-9f0a1b2c3d4e'
const row = { pk: 'GRP#u', sk: `MSG#${g}`, last_sk: sk, message: 'hi', user_uuid: 'v', user_display_name: 'Ben', user_handle: 'ben', unread_count: 0, rev: 1 }

describe('formatListedItem', () => {
  it('formats a well-formed item with the entity\'s formatter, dropping attributes it does not know', () => {
    expect(formatListedItem(messages, { ...message, extra: 1 })).toEqual({
      item: { message_group_uuid: 'g', sk, message_uuid: 'm', message: 'hi', user_uuid: 'u', user_display_name: 'Ann', user_handle: 'ann' }
    })
    expect(formatListedItem(rows, row, 'last_sk')).toMatchObject({ item: { owner_user_uuid: 'u', message_group_uuid: g } })
  })

  it('names the problem of an item that does not fit, without its key', () => {
    const { user_display_name: _, ...nameless } = message
    expect(formatListedItem(messages, nameless)).toEqual({ problem: "Missing required attribute for formatting: 'user_display_name'." })
    expect(formatListedItem(rows, { ...row, message: 42 }, 'last_sk')).toEqual({ problem: "Invalid attribute detected while formatting: 'message'. Should be a string." })
    expect(formatListedItem(messages, { ...message, sk: '#CONVERSATION' })).toEqual({ problem: 'sk is not a message sort key' })
    expect(formatListedItem(rows, { ...row, last_sk: 42 }, 'last_sk')).toEqual({ problem: 'last_sk is not a message sort key' })
    for (const key of ['MSG#g', `MSG#${g.toUpperCase()}`, '#CONVERSATION', 7]) {
      expect(formatListedItem(rows, { ...row, sk: key }, 'last_sk')).toEqual({ problem: 'sk is not a conversation row key (MSG#<uuid>)' })
    }
  })
})
