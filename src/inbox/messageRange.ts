import { compare } from '../keys/compare.js'

/**
 * A message as Pattern D reads it: its sort key, sender and text (stored names, as a Query of `MSG#<group>` returns
 * them).
 *
 * @example
 * ```ts
 * const read: RangeMessage = { sk: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF', user_uuid: bob.uuid, message: 'Hi' }
 * ```
 */
export interface RangeMessage {
  /** The message's sort key. */
  sk: string
  /** The sender; a message without one counts as from someone else. */
  user_uuid?: string
  /** The text, which a row shows when this is its last message. */
  message?: string
  /** The sender's display name, which a group's row shows beside its last message. */
  user_display_name?: string
  /** The sender's handle, likewise. */
  user_handle?: string
}

/**
 * Which messages of one conversation to read: those with `after < sk <= through`, from the conversation's first
 * message when `after` is absent.
 *
 * @example
 * ```ts
 * const bounds: MessageRangeBounds = { after: row.last_sk, through: latest.sortKey }
 * ```
 */
export interface MessageRangeBounds {
  /** Exclusive lower bound; absent: from the first message. */
  after?: string
  /** Inclusive upper bound. */
  through: string
}

/**
 * Every message of one conversation within its bounds, read strongly consistently after the rows: what Pattern D
 * counts from and takes previews from. Read newest first, it may stop short of the bounds a caller asked for once the
 * counts are decided (a count at the cap); `after` then says how far down it reached.
 *
 * @example
 * ```ts
 * const range: MessageRange = { after: row.last_sk, through: latest.sortKey, messages: [{ sk: latest.sortKey, user_uuid: bob.uuid, message: 'Hi' }] }
 * ```
 */
export interface MessageRange extends MessageRangeBounds {
  /** The messages with `after < sk <= through`, in any order. */
  messages: readonly RangeMessage[]
}

/** Whether `sk` lies in `(after, through]`. */
export const within = (sk: string, after: string | undefined, through: string): boolean =>
  (after === undefined || compare(sk, after) > 0) && compare(sk, through) <= 0

/** The smallest bounds holding both. */
export function widen(a: MessageRangeBounds | undefined, b: MessageRangeBounds): MessageRangeBounds {
  if (!a) return b
  const after = a.after === undefined || b.after === undefined ? undefined : compare(a.after, b.after) <= 0 ? a.after : b.after
  const through = compare(a.through, b.through) >= 0 ? a.through : b.through
  // Alternative literals, not a spread of `cond && { … }`, here and below: see withMarker in planRow.ts.
  return after === undefined ? { through } : { after, through }
}

/** In `(after, through]` of `range`: the owner's newest message, and how many are from anyone else. Pure. */
export function tally(range: MessageRange, ownerUuid: string, after: string | undefined, through: string): { newestOwn?: string; others: number } {
  let newestOwn: string | undefined
  let others = 0
  for (const message of range.messages) {
    if (!within(message.sk, after, through)) continue
    if (message.user_uuid !== ownerUuid) others++
    else if (newestOwn === undefined || compare(message.sk, newestOwn) > 0) newestOwn = message.sk
  }
  return newestOwn === undefined ? { others } : { newestOwn, others }
}
