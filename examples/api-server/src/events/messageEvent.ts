// The `message` event of /api/events: types only, shared by the server and the chat page's browser code.

/** What a participant's open event streams receive when a message lands in one of their conversations. */
export interface MessageEvent {
  message_group_uuid: string
  /** The message's sort key: the page drops an event it has already shown (delivery is at least once). */
  sort_key: string
  message: string
  created_at: string
  /** The sender, as the stream image names them (absent for a message written without names). */
  sender_uuid: string | null
  handle: string | null
  display_name: string | null
  /** The receiving participant's unread count of this conversation, as the rows now say. */
  unread_count: number
}
