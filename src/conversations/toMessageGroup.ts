import { lastReadAtOf, readStateOf } from '../inbox/readState.js'
import { timeOf } from '../table/toMessage.js'
import type { FormattedMessageGroup } from '../table/rows.js'
import type { MessageGroup } from '../types.js'

/** A stored conversation row as Pattern B returns it. */
export const toMessageGroup = (item: FormattedMessageGroup): MessageGroup => {
  const state = readStateOf(item)
  return {
    messageGroupUuid: item.message_group_uuid,
    otherUserUuid: item.user_uuid,
    otherUserDisplayName: item.user_display_name,
    otherUserHandle: item.user_handle,
    lastMessage: item.message,
    lastMessageAt: timeOf(item.last_sk),
    sortKey: item.last_sk,
    unreadCount: state.count ?? 0,
    ...(state.marker !== undefined && { lastReadAt: lastReadAtOf(state.marker), lastReadSortKey: state.marker })
  }
}
