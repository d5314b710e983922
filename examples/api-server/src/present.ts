import type { MarkReadResult, Message, MessageGroup } from 'dynamo-messaging'
import type { User } from './users.js'

// The library returns camelCase objects; the Cruddur front end reads snake_case fields. These are the only mappings.

/**
 * A message as Cruddur shows it: `uuid` is the MESSAGE's own uuid; the name and handle are the sender's. `sort_key`
 * (not in Cruddur, which ignores it) is what `POST /api/message_groups/:uuid/read` takes as `up_to`.
 */
export const cruddurMessage = (message: Message) => ({
  uuid: message.uuid,
  display_name: message.displayName,
  handle: message.handle,
  message: message.message,
  created_at: message.createdAt,
  sort_key: message.sortKey
})

/**
 * A conversation in the list. A direct one has exactly Cruddur's fields: `uuid` is the message_group_uuid; name and
 * handle are the OTHER participant's; `unread_count` and `last_read_at` (null when never read) are the caller's. A
 * group has `kind: 'group'`, its `title` and `member_count`, and the last sender's name and handle in
 * `display_name` and `handle` (null, like `message`, before its first message), so a page that reads Cruddur's fields
 * shows "who said what".
 */
export const cruddurMessageGroup = (group: MessageGroup) =>
  group.kind === 'direct'
    ? {
        uuid: group.messageGroupUuid,
        display_name: group.otherUserDisplayName,
        handle: group.otherUserHandle,
        message: group.lastMessage,
        created_at: group.lastMessageAt,
        unread_count: group.unreadCount,
        last_read_at: group.lastReadAt ?? null
      }
    : {
        uuid: group.messageGroupUuid,
        kind: group.kind,
        title: group.title,
        member_count: group.memberCount,
        display_name: group.lastSenderDisplayName ?? null,
        handle: group.lastSenderHandle ?? null,
        sender_uuid: group.lastSenderUuid ?? null,
        message: group.lastMessage ?? null,
        created_at: group.lastMessageAt,
        unread_count: group.unreadCount,
        last_read_at: group.lastReadAt ?? null
      }

/** The caller's read state of a conversation after `POST …/read`. */
export const cruddurReadState = (read: MarkReadResult) => ({
  message_group_uuid: read.messageGroupUuid,
  unread_count: read.unreadCount,
  last_read_at: read.lastReadAt ?? null,
  changed: read.changed
})

export const cruddurUserShort = (user: User) => ({ uuid: user.uuid, handle: user.handle, display_name: user.displayName })
