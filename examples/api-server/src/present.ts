import type { Message, MessageGroup } from 'dynamo-messaging'
import type { User } from './users.js'

// The library returns camelCase objects; the Cruddur front end reads snake_case fields. These are the only mappings.

/** A message as Cruddur shows it: `uuid` is the MESSAGE's own uuid; the name and handle are the sender's. */
export const cruddurMessage = (message: Message) => ({
  uuid: message.uuid,
  display_name: message.displayName,
  handle: message.handle,
  message: message.message,
  created_at: message.createdAt
})

/** A conversation in the list: `uuid` is the message_group_uuid; name and handle are the OTHER participant's. */
export const cruddurMessageGroup = (group: MessageGroup) => ({
  uuid: group.messageGroupUuid,
  display_name: group.otherUserDisplayName,
  handle: group.otherUserHandle,
  message: group.lastMessage,
  created_at: group.lastMessageAt
})

export const cruddurUserShort = (user: User) => ({ uuid: user.uuid, handle: user.handle, display_name: user.displayName })
