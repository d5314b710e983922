import { compare } from '../keys/compare.js'

/**
 * A message as the unread count reads it: its sort key and its sender (stored names, as a Query projecting
 * `sk, user_uuid` returns them).
 *
 * @example
 * ```ts
 * const read: RangeMessage = { sk: '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF', user_uuid: bob.uuid }
 * ```
 */
export interface RangeMessage {
  /** The message's sort key. */
  sk: string
  /** The sender; a message without one counts as from the other participant. */
  user_uuid?: string
}

/**
 * Which messages of one conversation to read: those with `after < sk <= through`, from the conversation's first
 * message when `after` is absent. Returned by {@link messageRangeToRead}.
 *
 * @example
 * ```ts
 * const bounds: MessageRangeBounds = { after: row.sk, through: latest.sortKey }
 * ```
 */
export interface MessageRangeBounds {
  /** Exclusive lower bound; absent: from the first message. */
  after?: string
  /** Inclusive upper bound. */
  through: string
}

/**
 * Every message of one conversation within its bounds, read strongly consistently: what Pattern D counts from.
 *
 * @example
 * ```ts
 * const range: MessageRange = { ...bounds, messages: [{ sk: latest.sortKey, user_uuid: latest.userUuid }] }
 * const plan = planGroupUpdate(rows, latest, { range })
 * ```
 */
export interface MessageRange extends MessageRangeBounds {
  /** The messages with `after < sk <= through`, in any order. */
  messages: readonly RangeMessage[]
}

/** Whether `range` holds every message `need` asks for. */
export function covers(range: MessageRangeBounds, need: MessageRangeBounds): boolean {
  const lowEnough = range.after === undefined || (need.after !== undefined && compare(range.after, need.after) <= 0)
  return lowEnough && compare(range.through, need.through) >= 0
}

/** The smallest bounds holding both. */
export function widen(a: MessageRangeBounds | undefined, b: MessageRangeBounds): MessageRangeBounds {
  if (!a) return b
  const after = a.after === undefined || b.after === undefined ? undefined : compare(a.after, b.after) <= 0 ? a.after : b.after
  return { ...(after !== undefined && { after }), through: compare(a.through, b.through) >= 0 ? a.through : b.through }
}

/** Whether `sk` lies in `(after, through]`. */
export const within = (sk: string, after: string | undefined, through: string): boolean =>
  (after === undefined || compare(sk, after) > 0) && compare(sk, through) <= 0

/**
 * In `(after, through]` of `range`: the owner's newest message, and the messages from anyone else. Pure.
 */
export function tally(
  range: MessageRange,
  ownerUuid: string,
  after: string | undefined,
  through: string
): { newestOwn?: string; others: string[] } {
  let newestOwn: string | undefined
  const others: string[] = []
  for (const message of range.messages) {
    if (!within(message.sk, after, through)) continue
    if (message.user_uuid === ownerUuid) {
      if (newestOwn === undefined || compare(message.sk, newestOwn) > 0) newestOwn = message.sk
    } else {
      others.push(message.sk)
    }
  }
  return { ...(newestOwn !== undefined && { newestOwn }), others }
}
