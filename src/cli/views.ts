import { MEMBERS_SK, MESSAGE_GROUP_PREFIX, MESSAGE_PREFIX } from '../keys/keys.js'
import { linkedGroupOf } from '../table/pairLink.js'
import type { Message, MessageGroup } from '../types.js'
import { renderTable } from './format.js'

/** How each command lays out its rows; pure, so the layouts are unit-tested. */

type Item = Record<string, unknown>

/** `scan`: the three kinds of item side by side; `--json` has every attribute. */
export function renderItems(items: readonly Item[]): string {
  return renderTable(
    [{ header: 'kind' }, { header: 'pk' }, { header: 'sk' }, { header: 'user_handle' }, { header: 'message', maxWidth: 60 }],
    items.map((item) => {
      const kind = kindOf(item)
      const message =
        kind === 'members' && Array.isArray(item.members)
          ? `members: ${item.members.map((member: { user_handle?: unknown }) => text(member?.user_handle) || '?').join(', ')}`
          : kind === 'pair link'
            ? `→ ${linkedGroupOf(item) ?? ''}`
            : text(item.message)
      return [kind, text(item.pk), text(item.sk), text(item.user_handle), message]
    })
  )
}

/** `get-conversation`: a transcript, oldest first; the text is never cut. */
export function renderMessages(messages: readonly Message[]): string {
  return renderTable(
    [{ header: 'sent at' }, { header: 'from' }, { header: 'message' }],
    messages.map((message) => [message.createdAt, `${message.handle} (${message.displayName})`, message.message])
  )
}

/** `list-conversations`: newest last message first, as Pattern B returns them, with the user's unread counts. */
export function renderConversations(groups: readonly MessageGroup[]): string {
  return renderTable(
    [
      { header: 'last message at' },
      { header: 'with' },
      { header: 'unread', align: 'right' },
      { header: 'message_group_uuid' },
      { header: 'last message', maxWidth: 60 }
    ],
    groups.map((group) => [
      group.lastMessageAt,
      `${group.otherUserHandle} (${group.otherUserDisplayName})`,
      String(group.unreadCount),
      group.messageGroupUuid,
      group.lastMessage
    ])
  )
}

/** What a stored item is, from its keys (and, in the members slot, whether it is a pair link). */
export function kindOf(item: Item): 'message' | 'members' | 'pair link' | 'conversation' | 'other' {
  const pk = text(item.pk)
  if (pk.startsWith(MESSAGE_PREFIX)) {
    if (item.sk !== MEMBERS_SK) return 'message'
    return linkedGroupOf(item) === undefined ? 'members' : 'pair link'
  }
  if (pk.startsWith(MESSAGE_GROUP_PREFIX)) return 'conversation'
  return 'other'
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value)
