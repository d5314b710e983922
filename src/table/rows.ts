import type { FormattedItem } from 'dynamodb-toolbox/entity'
import type { MessagingEntities } from './createMessagingTable.js'
import { timeOfSortKey } from '../keys/keys.js'
import { lastReadAtOf, readStateOf } from '../unread/readState.js'
import type { Message, MessageGroup } from '../types.js'

export type FormattedMessage = FormattedItem<MessagingEntities['MessageEntity']>
export type FormattedMessageGroup = FormattedItem<MessagingEntities['MessageGroupEntity']>

/**
 * A participant's conversation row as stored (raw attribute names), as the GSI and the stream return it.
 *
 * @example
 * ```ts
 * const row: StoredMessageGroupRow = {
 *   pk: 'GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399', // Alice's row…
 *   sk: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF',
 *   message_group_uuid: '0b1c5d9e-3f4a-5b6c-8d7e-9f0a1b2c3d4e',
 *   message: 'Hi Alice!',
 *   user_uuid: 'b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10', // …describes Bob
 *   user_display_name: 'Bob',
 *   user_handle: 'bob'
 * }
 * ```
 */
export interface StoredMessageGroupRow {
  /** `GRP#<owner user_uuid>`: whose conversation list the row is in. */
  pk: string
  /** The sort key of the conversation's last message. */
  sk: string
  /** The conversation's uuid (the GSI's partition key). */
  message_group_uuid: string
  /** Text of the conversation's last message. */
  message: string
  /** The other participant's uuid. */
  user_uuid: string
  /** The other participant's display name. */
  user_display_name: string
  /** The other participant's handle. */
  user_handle: string
  /** The owner's read marker: the sort key of the newest message they have read (absent: never read). */
  last_read_sk?: string
  /** Messages from the other participant after the marker, up to `sk`. Absent on rows written before 0.2.0: 0. */
  unread_count?: number
  /** The owner's uuid while `unread_count > 0`, else absent: the key of the sparse `unread-index`. */
  unread_owner_uuid?: string
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

export const toMessageGroup = (item: FormattedMessageGroup): MessageGroup => {
  const state = readStateOf(item)
  const marker = state.legacy ? undefined : state.marker
  return {
    messageGroupUuid: item.message_group_uuid,
    otherUserUuid: item.user_uuid,
    otherUserDisplayName: item.user_display_name,
    otherUserHandle: item.user_handle,
    lastMessage: item.message,
    lastMessageAt: timeOf(item.sk),
    sortKey: item.sk,
    // A row written before 0.2.0 has no count: nothing unread, as if read up to its last message.
    unreadCount: state.legacy ? 0 : state.count,
    ...(marker !== undefined && { lastReadAt: lastReadAtOf(marker), lastReadSortKey: marker })
  }
}
