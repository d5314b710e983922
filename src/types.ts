/** A person taking part in a conversation. */
export interface Participant {
  uuid: string
  displayName: string
  handle: string
}

/** One message, as returned by Patterns A and C. Times are ISO-8601 UTC. */
export interface Message {
  /** The message's own uuid. */
  uuid: string
  messageGroupUuid: string
  /** The sender's uuid. */
  userUuid: string
  /** The sender's display name when the message was sent. */
  displayName: string
  /** The sender's handle when the message was sent. */
  handle: string
  message: string
  createdAt: string
  /** The stored sort key: orders messages and is what {@link MessagingClient.updateMessageGroups} compares. */
  sortKey: string
}

/** One of a user's conversations, as returned by Pattern B: who the other participant is, and the last message. */
export interface MessageGroup {
  messageGroupUuid: string
  otherUserUuid: string
  otherUserDisplayName: string
  otherUserHandle: string
  lastMessage: string
  lastMessageAt: string
  /** The stored sort key of the last message. */
  sortKey: string
}

/** One page of a list, newest first. Pass `cursor` back to get the next, older page; none means the end. */
export interface Page<T> {
  items: T[]
  cursor?: string
}

/** The facts Pattern D needs about a conversation's newest message; a {@link Message} has them all. */
export interface LatestMessage {
  messageGroupUuid: string
  sortKey: string
  message: string
}
