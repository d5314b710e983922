import type { FormattedItem } from 'dynamodb-toolbox/entity'
import type { MessagingEntities } from './createMessagingTable.js'
import { timeOfSortKey } from '../keys/keys.js'
import type { Message, MessageGroup } from '../types.js'

export type FormattedMessage = FormattedItem<MessagingEntities['MessageEntity']>
export type FormattedMessageGroup = FormattedItem<MessagingEntities['MessageGroupEntity']>

/** A participant's conversation row as stored (raw attribute names), as the GSI and the stream return it. */
export interface StoredMessageGroupRow {
  pk: string
  sk: string
  message_group_uuid: string
  message: string
  user_uuid: string
  user_display_name: string
  user_handle: string
}

// Seed rows with an unparseable sort key still list; their time is shown as the raw key rather than dropping them.
const timeOf = (sk: string): string => timeOfSortKey(sk) ?? sk

export const toMessage = (item: FormattedMessage): Message => ({
  uuid: item.message_uuid,
  messageGroupUuid: item.message_group_uuid,
  userUuid: item.user_uuid,
  displayName: item.user_display_name,
  handle: item.user_handle,
  message: item.message,
  createdAt: timeOf(item.sk),
  sortKey: item.sk
})

export const toMessageGroup = (item: FormattedMessageGroup): MessageGroup => ({
  messageGroupUuid: item.message_group_uuid,
  otherUserUuid: item.user_uuid,
  otherUserDisplayName: item.user_display_name,
  otherUserHandle: item.user_handle,
  lastMessage: item.message,
  lastMessageAt: timeOf(item.sk),
  sortKey: item.sk
})
