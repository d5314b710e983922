import type { FormattedItem } from 'dynamodb-toolbox/entity'
import type { MessagingEntities } from './createMessagingTable.js'

export type FormattedMessage = FormattedItem<MessagingEntities['MessageEntity']>
export type FormattedMessageGroup = FormattedItem<MessagingEntities['MessageGroupEntity']>

/**
 * A member's conversation row as stored (raw attribute names), as a GetItem, the `inbox-index` and the stream return
 * it. It stays at its key while its owner is a member; Pattern D updates it in place.
 *
 * @example
 * ```ts
 * const row: StoredMessageGroupRow = {
 *   pk: 'GRP#5ae290ed-55d1-47a0-bc6d-fe2bc2700399', // Alice's row…
 *   sk: 'MSG#0b1c5d9e-3f4a-5b6c-8d7e-9f0a1b2c3d4e', // …of this conversation
 *   last_sk: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF',
 *   message: 'Hi Alice!',
 *   user_uuid: 'b9a2c2a4-2f3a-4b43-8e1c-6f5c3e8d9a10', // …describes Bob
 *   user_display_name: 'Bob',
 *   user_handle: 'bob',
 *   last_read_sk: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF',
 *   unread_count: 0,
 *   rev: 3
 * }
 * ```
 */
export interface StoredMessageGroupRow {
  /** `GRP#<owner user_uuid>`: whose conversation list the row is in. */
  pk: string
  /** `MSG#<message_group_uuid>`: which conversation. */
  sk: string
  /** `group` on a group's row; absent on a direct conversation's. */
  kind?: 'group'
  /** The sort key of the conversation's last message (the `inbox-index`'s sort key); of its creation before any. */
  last_sk: string
  /** Text of the conversation's last message; absent before a group's first message. */
  message?: string
  /** A direct conversation's other participant's uuid. */
  user_uuid?: string
  /** Their display name. */
  user_display_name?: string
  /** Their handle. */
  user_handle?: string
  /** A group's last sender's uuid. */
  sender_uuid?: string
  /** Their display name. */
  sender_display_name?: string
  /** Their handle. */
  sender_handle?: string
  /** The owner's read marker: the sort key of the newest message they have read (absent: never read). */
  last_read_sk?: string
  /** Messages from others after the marker, up to `last_sk`, at most 100. */
  unread_count: number
  /** The owner's uuid while `unread_count > 0`, else absent: the key of the sparse `unread-index`. */
  unread_owner_uuid?: string
  /** The row's revision: every write adds one and is conditioned on the revision it read. */
  rev: number
}
