import { lastReadAtOf, readStateOf } from '../inbox/readState.js'
import { timeOf } from '../table/toMessage.js'
import type { FormattedMessageGroup } from '../table/rows.js'
import type { MessageGroup } from '../types.js'

/** What a group's row shows that its row does not hold: its conversation item's title and member count. */
export interface GroupFacts {
  readonly title: string
  readonly memberCount: number
}

/**
 * A stored conversation row as Pattern B returns it, or `undefined` for a row that fits neither kind (a direct row
 * without the other participant, a group whose conversation item was not found).
 */
export function toMessageGroup(item: FormattedMessageGroup, group?: GroupFacts): MessageGroup | undefined {
  const state = readStateOf(item)
  const base = {
    messageGroupUuid: item.message_group_uuid,
    lastMessageAt: timeOf(item.last_sk),
    sortKey: item.last_sk,
    unreadCount: state.count ?? 0,
    ...(state.marker !== undefined && { lastReadAt: lastReadAtOf(state.marker), lastReadSortKey: state.marker })
  }
  if (item.kind === 'group') {
    if (!group) return undefined
    return {
      kind: 'group',
      ...base,
      ...(item.message !== undefined && { lastMessage: item.message }),
      title: group.title,
      memberCount: group.memberCount,
      ...(item.sender_uuid !== undefined && { lastSenderUuid: item.sender_uuid }),
      ...(item.sender_display_name !== undefined && { lastSenderDisplayName: item.sender_display_name }),
      ...(item.sender_handle !== undefined && { lastSenderHandle: item.sender_handle })
    }
  }
  if (item.user_uuid === undefined || item.user_display_name === undefined || item.user_handle === undefined || item.message === undefined) return undefined
  return {
    kind: 'direct',
    ...base,
    lastMessage: item.message,
    ...(item.sender_uuid !== undefined && { lastSenderUuid: item.sender_uuid }),
    otherUserUuid: item.user_uuid,
    otherUserDisplayName: item.user_display_name,
    otherUserHandle: item.user_handle
  }
}
