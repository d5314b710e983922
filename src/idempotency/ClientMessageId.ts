import type { Validator } from '../validation/validate.js'
import { messageIdTime } from './messageIdTime.js'

/** A validated client-chosen message id: the ULID, the time it holds, and whether a new message may still use it. */
export interface ClientMessageId {
  readonly messageId: string
  readonly createdAt: Date
  /** Inside the window ({@link MESSAGE_ID_MAX_AGE_MS}): a new message may be stored; otherwise only a retry answered. */
  readonly fresh: boolean
}

/**
 * Checks the optional `messageId` field with the other fields of one input: `message_id_invalid` for what is not a
 * ULID (or holds a time past 9999), `message_id_in_future` for a time more than a minute ahead of `now`. An id too
 * old for a new message passes here: it may name a stored message, and a retry of that is answered.
 */
export function checkMessageId(check: Validator, path: string, value: unknown, now: Date): ClientMessageId | undefined {
  const messageId = check.ulid(path, value)
  if (messageId === undefined) return undefined
  const { createdAt, timing } = messageIdTime(messageId, now)
  if (timing === 'invalid') check.invalid(path, 'must hold a time before the end of 9999')
  if (timing === 'future') {
    check.fail(path, 'message_id_in_future', "holds a time more than a minute ahead of the server's clock")
  }
  return { messageId, createdAt, fresh: timing === 'fresh' }
}
