import { decodeTime } from 'ulid'
import { isMessageTime } from '../keys/keys.js'

/**
 * How far ahead of the server's clock a client-chosen message id's time may be: clocks drift, but a message dated in
 * the future would stay the conversation's newest (Pattern D moves rows only forwards) until real time caught up.
 */
export const MESSAGE_ID_MAX_AHEAD_MS = 60_000
/**
 * How old a client-chosen message id's time may be for a NEW message (a retry of a stored one is answered at any age).
 * A message stored late lands among older messages: Pattern D recounts unread counts for it, but a reader whose read
 * marker is already past its time never sees it as unread. Five minutes covers a client's retries across an outage or
 * a server restart while keeping that window small.
 */
export const MESSAGE_ID_MAX_AGE_MS = 5 * 60_000

/** Where a message id's time lies against the window: `fresh` (store it), `expired` (replay only), `future`, `invalid`. */
export type MessageIdTiming = 'fresh' | 'expired' | 'future' | 'invalid'

/**
 * The time a (valid, upper-case) ULID holds, and where it lies relative to `now`: pure, the window's one decision.
 * `invalid` is a ULID time past the end of 9999, which no message sort key can hold.
 */
export function messageIdTime(messageId: string, now: Date): { createdAt: Date; timing: MessageIdTiming } {
  const createdAt = new Date(decodeTime(messageId))
  if (!isMessageTime(createdAt)) return { createdAt, timing: 'invalid' }
  const age = now.getTime() - createdAt.getTime()
  const timing = age < -MESSAGE_ID_MAX_AHEAD_MS ? 'future' : age > MESSAGE_ID_MAX_AGE_MS ? 'expired' : 'fresh'
  return { createdAt, timing }
}
