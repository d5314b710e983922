import { isMessageSortKey, MESSAGE_GROUP_PREFIX, timeOfSortKey } from '../keys/keys.js'

/**
 * A row's read state as stored, in the seeds' snake_case: new attributes on the existing conversation row.
 *
 * - `last_read_sk`: the owner's read marker, the sort key of the newest message they have read. Absent (with
 *   `unread_count` present): never read.
 * - `unread_count`: messages from the other participant after the marker, up to the row's own `sk`.
 * - `unread_owner_uuid`: the owner's uuid, present only while `unread_count > 0`: the key of the sparse `unread-index`,
 *   so a user's badge reads only the conversations with something unread.
 *
 * A row without `unread_count` (written by the bootcamp code, by version 0.1.0, or rebuilt after the bootcamp lost it)
 * is a legacy row: it reads as 0 unread, as if read up to its own `sk`, and gains the attributes when it next moves.
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
  /** Messages from the other participant after `last_read_sk`, up to the row's `sk`. */
  unread_count: number
  /** The owner's uuid, present only while `unread_count > 0` (the sparse `unread-index`'s key). */
  unread_owner_uuid?: string
}

/** The read state Pattern D and markRead decide on. */
export type ReadState =
  /** No (valid) `unread_count`: counts as read up to the row's own `sk`, with nothing unread. */
  | { legacy: true }
  | {
      legacy: false
      /** The read marker; undefined: never read (every message from the other participant counts). */
      marker?: string
      count: number
    }

/** A counted read state, as it is written. */
export interface CountedReadState {
  marker?: string
  count: number
}

/** The read state of a stored row. A count that is not a whole number ≥ 0 (other code wrote it) makes it legacy. */
export function readStateOf(row: { last_read_sk?: unknown; unread_count?: unknown }): ReadState {
  const count = row.unread_count
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return { legacy: true }
  const marker = row.last_read_sk
  return { legacy: false, count, ...(isMessageSortKey(marker) && { marker: marker as string }) }
}

/** The attributes that store `state` on `ownerUuid`'s row. */
export function storedReadState(ownerUuid: string, state: CountedReadState): StoredReadState {
  return {
    ...(state.marker !== undefined && { last_read_sk: state.marker }),
    unread_count: state.count,
    ...(state.count > 0 && { unread_owner_uuid: ownerUuid })
  }
}

/**
 * One participant's read state of a conversation, as {@link MessagingClient.updateMessageGroups} leaves it and
 * {@link StreamHandlerOptions.onApplied} reports it.
 *
 * @example
 * ```ts
 * const { participants } = await messaging.updateMessageGroups(latest)
 * for (const p of participants) console.log(`${p.userUuid}: ${p.unreadCount} unread`)
 * ```
 */
export interface ParticipantReadState {
  /** The participant (the row's owner). */
  userUuid: string
  /** Messages from the other participant after this participant's read marker. 0 for a row without a count yet. */
  unreadCount: number
  /** The sort key of the newest message read; absent when never read (or not recorded, for an older row). */
  lastReadSortKey?: string
}

/** What a stored row says about its owner's reading: the camelCase view lists and callbacks return. */
export function participantReadState(row: {
  pk: string
  last_read_sk?: unknown
  unread_count?: unknown
}): ParticipantReadState {
  const state = readStateOf(row)
  return {
    userUuid: row.pk.slice(MESSAGE_GROUP_PREFIX.length),
    unreadCount: state.legacy ? 0 : state.count,
    ...(!state.legacy && state.marker !== undefined && { lastReadSortKey: state.marker })
  }
}

/** The time of a read marker, ISO-8601 UTC, or undefined when there is none. */
export const lastReadAtOf = (marker: string | undefined): string | undefined =>
  marker === undefined ? undefined : (timeOfSortKey(marker) ?? marker)
