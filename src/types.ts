/**
 * A person taking part in a conversation.
 *
 * @example
 * ```ts
 * const alice: Participant = { uuid: '5ae290ed-55d1-47a0-bc6d-fe2bc2700399', displayName: 'Alice', handle: 'alice' }
 * ```
 */
export interface Participant {
  /** The user's uuid, as your user store knows it. */
  uuid: string
  /** The name shown to the other participant: 1 to 128 characters, one line, no control or bidi override characters. */
  displayName: string
  /** The user's handle: 1 to 64 letters, digits, `_`, `.` or `-`. */
  handle: string
}

/**
 * One message, as returned by Patterns A and C. Times are ISO-8601 UTC.
 *
 * @example
 * ```ts
 * const message: Message = await messaging.createMessage({ messageGroupUuid, sender: alice, message: 'Hi Bob!' })
 * console.log(`${message.handle} at ${message.createdAt}: ${message.message}`)
 * ```
 */
export interface Message {
  /** The message's own uuid. */
  uuid: string
  /** The conversation the message belongs to. */
  messageGroupUuid: string
  /** The sender's uuid. */
  userUuid: string
  /** The sender's display name when the message was sent. */
  displayName: string
  /** The sender's handle when the message was sent. */
  handle: string
  /** The text, with line breaks normalised to `\n` and trimmed. */
  message: string
  /** When the message was sent, ISO-8601 UTC with milliseconds, e.g. `2026-01-01T00:00:00.000Z`. */
  createdAt: string
  /** The stored sort key: orders messages and is what {@link MessagingClient.updateMessageGroups} compares. */
  sortKey: string
}

/**
 * What every conversation of Pattern B has, direct or group.
 *
 * @example
 * ```ts
 * const badge = (group: MessageGroupBase) => (group.unreadCount >= 100 ? '99+' : String(group.unreadCount))
 * ```
 */
export interface MessageGroupBase {
  /** `direct` (two people) or `group`: narrow on it for the fields of each. */
  kind: 'direct' | 'group'
  /** The conversation's uuid, for {@link MessagingClient.listMessages} and {@link MessagingClient.createMessage}. */
  messageGroupUuid: string
  /** Text of the conversation's last message; absent for a group with no message yet. */
  lastMessage?: string
  /** When the last message was sent (a group with no message yet: when it was created), ISO-8601 UTC. */
  lastMessageAt: string
  /** The stored sort key of the last message (or of the group's creation). */
  sortKey: string
  /**
   * Messages from others after this user's read marker ({@link MessagingClient.markRead}; sending a message marks the
   * conversation read up to it), exact up to 100; 100 means 100 or more (show `99+`).
   */
  unreadCount: number
  /** When the newest message this user has read was sent, ISO-8601 UTC; absent when never read. */
  lastReadAt?: string
  /** The sort key of the newest message this user has read (compare with {@link Message.sortKey}); absent with `lastReadAt`. */
  lastReadSortKey?: string
}

/**
 * One of a user's direct conversations, as returned by Pattern B: who the other participant is, and the last message.
 *
 * @example
 * ```ts
 * const { items } = await messaging.listMessageGroups({ userUuid: alice.uuid })
 * for (const group of items) if (group.kind === 'direct') console.log(`@${group.otherUserHandle}: ${group.lastMessage}`)
 * ```
 */
export interface DirectMessageGroup extends MessageGroupBase {
  kind: 'direct'
  /** Text of the conversation's last message. */
  lastMessage: string
  /** The other participant's uuid. */
  otherUserUuid: string
  /** The other participant's display name. */
  otherUserDisplayName: string
  /** The other participant's handle. */
  otherUserHandle: string
  /** Who sent the last message: this user or the other participant. */
  lastSenderUuid?: string
}

/**
 * One of a user's group conversations, as returned by Pattern B: its title, its size, and who sent the last message.
 *
 * @example
 * ```ts
 * for (const group of items) if (group.kind === 'group') console.log(`${group.title} (${group.memberCount}): ${group.lastSenderHandle}: ${group.lastMessage}`)
 * ```
 */
export interface GroupMessageGroup extends MessageGroupBase {
  kind: 'group'
  /** The group's title. */
  title: string
  /** How many members it has. */
  memberCount: number
  /** Who sent the last message (absent before the first). */
  lastSenderUuid?: string
  /** Their display name when they sent it. */
  lastSenderDisplayName?: string
  /** Their handle when they sent it. */
  lastSenderHandle?: string
}

/**
 * One of a user's conversations, as returned by Pattern B: a {@link DirectMessageGroup} or a
 * {@link GroupMessageGroup}, told apart by `kind`.
 *
 * @example
 * ```ts
 * const name = (group: MessageGroup) => (group.kind === 'direct' ? `@${group.otherUserHandle}` : group.title)
 * ```
 */
export type MessageGroup = DirectMessageGroup | GroupMessageGroup

/**
 * A member's role in a group: the `owner` (one, who makes and unmakes admins), `admin`s (add and remove members,
 * rename, delete others' messages) and `member`s. Both people of a direct conversation are `member`s.
 *
 * @example
 * ```ts
 * const canManage = (role: GroupRole) => role === 'owner' || role === 'admin'
 * ```
 */
export type GroupRole = 'owner' | 'admin' | 'member'

/**
 * One member of a conversation, as {@link MessagingClient.listMembers} returns them: what a "seen by" line needs.
 *
 * @example
 * ```ts
 * const seenBy = (members: GroupMember[], sortKey: string) => members.filter((m) => (m.lastReadSortKey ?? '') >= sortKey)
 * ```
 */
export interface GroupMember {
  /** The member's uuid. */
  userUuid: string
  /** Their display name when they joined. */
  displayName: string
  /** Their handle when they joined. */
  handle: string
  /** Their role. */
  role: GroupRole
  /** When they joined, ISO-8601 UTC. */
  joinedAt: string
  /** The sort key of the newest message they have read, when they have read any. */
  lastReadSortKey?: string
}

/**
 * One page of a list, newest first. Pass `cursor` back to get the next, older page; none means the end.
 *
 * @example
 * ```ts
 * let cursor: string | undefined
 * do {
 *   const page: Page<Message> = await messaging.listMessages({ messageGroupUuid, cursor })
 *   page.items.forEach((message) => console.log(message.message))
 *   cursor = page.cursor
 * } while (cursor)
 * ```
 */
export interface Page<T> {
  /** The items of this page, newest first. */
  items: T[]
  /** Opaque; pass it back as `cursor` for the next page. Absent on the last page. */
  cursor?: string
}

/**
 * A conversation's newest message as Pattern D is told of it; a {@link Message} has every field. Only the conversation
 * and the sort key are needed: the text rows show is read from the table.
 *
 * @example
 * ```ts
 * const latest: LatestMessage = await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'Hi!' })
 * await messaging.updateMessageGroups(latest)
 * ```
 */
export interface LatestMessage {
  /** The conversation whose rows are brought to it. */
  messageGroupUuid: string
  /** The message's sort key ({@link Message.sortKey}); rows move only to a newer one. */
  sortKey: string
  /** The message's text, as the stream record carries it (the rows show the stored one). */
  message?: string
  /** The sender's uuid. */
  userUuid?: string
  /** The sender's display name. */
  displayName?: string
  /** The sender's handle. */
  handle?: string
}
