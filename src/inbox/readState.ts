import { isMessageSortKey, MESSAGE_GROUP_PREFIX, timeOfSortKey } from '../keys/keys.js'

/**
 * The largest unread count a row stores: counts are exact below it, and `UNREAD_COUNT_CAP` means "that many or more"
 * (show `99+`). The cap bounds what a recount reads, whatever a member left unread.
 *
 * @example
 * ```ts
 * const badge = group.unreadCount >= UNREAD_COUNT_CAP ? '99+' : String(group.unreadCount)
 * ```
 */
export const UNREAD_COUNT_CAP = 100

/**
 * A row's read state as stored: `last_read_sk` (the newest message the owner has read or sent; absent: never read),
 * `unread_count` (messages from others after it, up to the row's `last_sk`, at most {@link UNREAD_COUNT_CAP}) and
 * `unread_owner_uuid` (the owner, only while the count is above 0: the sparse `unread-index`'s key).
 *
 * @example
 * ```ts
 * // Bob has read up to Alice's first message; her next two are unread.
 * const bobs: StoredReadState = { last_read_sk: first.sortKey, unread_count: 2, unread_owner_uuid: bob.uuid }
 * ```
 */
export interface StoredReadState {
  /** The sort key of the newest message the owner has read or sent; absent: never read. */
  last_read_sk?: string
  /** Messages from others after `last_read_sk`, up to the row's `last_sk`, at most {@link UNREAD_COUNT_CAP}. */
  unread_count: number
  /** The owner's uuid, present only while `unread_count > 0` (the sparse `unread-index`'s key). */
  unread_owner_uuid?: string
}

/** A read state as Pattern D and markRead decide on it; `count` is undefined when the stored one is not valid. */
export interface ReadState {
  marker?: string
  count?: number
}

/** The read state of a stored row. A count that is not a whole number from 0 to the cap (other code wrote it) is none. */
export function readStateOf(row: { last_read_sk?: unknown; unread_count?: unknown }): ReadState {
  const count = row.unread_count
  const valid = typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 && count <= UNREAD_COUNT_CAP
  // Assigned, not a spread of `cond && { … }`: see withMarker in planRow.ts.
  const state: ReadState = {}
  if (isMessageSortKey(row.last_read_sk)) state.marker = row.last_read_sk as string
  if (valid) state.count = count
  return state
}

/** The attributes that store `state` on `ownerUuid`'s row. */
export function storedReadState(ownerUuid: string, state: { marker?: string; count: number }): StoredReadState {
  const stored: StoredReadState = state.marker === undefined ? { unread_count: state.count } : { last_read_sk: state.marker, unread_count: state.count }
  if (state.count > 0) stored.unread_owner_uuid = ownerUuid
  return stored
}

/**
 * One member's read state of a conversation, as {@link MessagingClient.updateMessageGroups} leaves it and
 * {@link StreamHandlerOptions.onApplied} reports it.
 *
 * @example
 * ```ts
 * const { participants } = await messaging.updateMessageGroups(latest)
 * for (const p of participants) console.log(`${p.userUuid}: ${p.unreadCount} unread`)
 * ```
 */
export interface ParticipantReadState {
  /** The member (the row's owner). */
  userUuid: string
  /** Messages from others after this member's read marker, at most {@link UNREAD_COUNT_CAP}. */
  unreadCount: number
  /** The sort key of the newest message read; absent when never read. */
  lastReadSortKey?: string
}

/** What a stored row says about its owner's reading: the camelCase view lists and callbacks return. */
export function participantReadState(row: { pk: string; last_read_sk?: unknown; unread_count?: unknown }): ParticipantReadState {
  const state = readStateOf(row)
  return {
    userUuid: row.pk.slice(MESSAGE_GROUP_PREFIX.length),
    unreadCount: state.count ?? 0,
    ...(state.marker !== undefined && { lastReadSortKey: state.marker })
  }
}

/** The time of a read marker, ISO-8601 UTC, or undefined when there is none. */
export const lastReadAtOf = (marker: string | undefined): string | undefined =>
  marker === undefined ? undefined : (timeOfSortKey(marker) ?? marker)
