// The layouts `adoptTable` migrates from, as they are stored. Messages are the same in every layout.
//
// - The bootcamp's code: a row per participant at `GRP#<owner>` / `<sort key of the last message it saw>`, with
//   `message_group_uuid`, `message` (its preview) and the OTHER participant's `user_uuid`, `user_display_name` and
//   `user_handle`; nothing else. Its seed dated both rows after the conversation's last message, with a filler text.
// - This library's 0.2: the same rows plus the owner's read state (`last_read_sk`, `unread_count`, and
//   `unread_owner_uuid` while the count is above 0); a `#MEMBERS` item per conversation (`members`: a list of
//   `{ user_uuid, user_display_name, user_handle }`, and `created_at`); a pair link at `#MEMBERS` of the pair's derived
//   id (`linked_message_group_uuid` only); the GSI `message-group-sk-index` (`message_group_uuid`, `sk`) and
//   `unread-index` (`unread_owner_uuid`, `sk`, projecting `message_group_uuid` and `unread_count`).

/** Sort key of 0.2's one members item per conversation (or of its pair link). */
export const LEGACY_MEMBERS_SK = '#MEMBERS'

/** The GSI both old layouts read rows through, by `message_group_uuid`; the new layout does not use it. */
export const LEGACY_ROW_INDEX = 'message-group-sk-index'

/** A row of the old layouts, as stored. */
export interface LegacyRow {
  /** `GRP#<owner>`. */
  pk: string
  /** The sort key of the last message the row was moved to (the bootcamp seed's: a time after every message). */
  sk: string
  message_group_uuid: string
  /** The preview. */
  message?: unknown
  /** The other participant. */
  user_uuid?: unknown
  user_display_name?: unknown
  user_handle?: unknown
  /** 0.2's read state. */
  last_read_sk?: unknown
  unread_count?: unknown
  unread_owner_uuid?: unknown
}
