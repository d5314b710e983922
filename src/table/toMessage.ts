import { timeOfSortKey } from '../keys/keys.js'
import type { Message } from '../types.js'
import type { FormattedMessage } from './rows.js'

// Seed messages with an unparseable sort key still list; their time is shown as the raw key rather than dropping them.
export const timeOf = (sk: string): string => timeOfSortKey(sk) ?? sk

/** A stored message as Patterns A and C return it. */
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
