import { CONVERSATION_SK, MEMBER_SK_PREFIX, MESSAGE_GROUP_PREFIX, MESSAGE_PREFIX, timeOfSortKey } from '../keys/keys.js'
import { LEGACY_MEMBERS_SK } from '../admin/maintenance/legacyLayout.js'
import { linkedGroupOf } from '../table/pairLink.js'
import type { GroupMember, Message, MessageGroup } from '../types.js'
import { renderTable } from './format.js'

/** How each command lays out its rows; pure, so the layouts are unit-tested. */

type Item = Record<string, unknown>

/** `scan`: the kinds of item side by side (those of the old layouts too, which `adopt` migrates); `--json` has every attribute. */
export function renderItems(items: readonly Item[]): string {
  return renderTable(
    [{ header: 'kind' }, { header: 'pk' }, { header: 'sk' }, { header: 'user_handle' }, { header: 'message', maxWidth: 60 }],
    items.map((item) => {
      const kind = kindOf(item)
      return [kind, text(item.pk), text(item.sk), text(item.user_handle), summaryOf(kind, item)]
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
      group.kind === 'direct' ? `${group.otherUserHandle} (${group.otherUserDisplayName})` : `${group.title} (${group.memberCount} members)`,
      String(group.unreadCount),
      group.messageGroupUuid,
      group.kind === 'group' && group.lastSenderHandle ? `${group.lastSenderHandle}: ${group.lastMessage ?? ''}` : (group.lastMessage ?? '')
    ])
  )
}

/** `list-members`: in the order listMembers returns them, with each one's role and read marker (`-`: nothing read). */
export function renderMembers(members: readonly GroupMember[]): string {
  return renderTable(
    [{ header: 'member' }, { header: 'role' }, { header: 'joined at' }, { header: 'read up to' }, { header: 'user_uuid' }],
    members.map((member) => [
      `${member.handle} (${member.displayName})`,
      member.role,
      member.joinedAt,
      (member.lastReadSortKey && timeOfSortKey(member.lastReadSortKey)) ?? '-',
      member.userUuid
    ])
  )
}

/** What a stored item is, from its keys (and, in a conversation's `#` slots, whether it is a pair link). */
export function kindOf(item: Item): 'message' | 'conversation' | 'pair link' | 'member' | 'row' | 'old row' | 'old members' | 'old pair link' | 'other' {
  const pk = text(item.pk)
  const sk = text(item.sk)
  if (pk.startsWith(MESSAGE_PREFIX)) {
    const link = linkedGroupOf(item) !== undefined
    if (sk === CONVERSATION_SK) return link ? 'pair link' : 'conversation'
    if (sk === LEGACY_MEMBERS_SK) return link ? 'old pair link' : 'old members'
    return sk.startsWith(MEMBER_SK_PREFIX) ? 'member' : sk.startsWith('#') ? 'other' : 'message'
  }
  if (pk.startsWith(MESSAGE_GROUP_PREFIX)) return sk.startsWith(MESSAGE_PREFIX) ? 'row' : 'old row'
  return 'other'
}

/** The `message` column of `scan`: the text, or what stands for it in items that have none. */
function summaryOf(kind: ReturnType<typeof kindOf>, item: Item): string {
  switch (kind) {
    case 'conversation':
      return `${text(item.kind)} since ${text(item.created_at)}`
    case 'pair link':
    case 'old pair link':
      return `→ ${linkedGroupOf(item) ?? ''}`
    case 'member':
      return text(item.user_display_name)
    case 'old members':
      return `members: ${(Array.isArray(item.members) ? item.members : []).map((member) => text((member as Item)?.user_handle)).join(', ')}`
    default:
      return text(item.message)
  }
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value)
