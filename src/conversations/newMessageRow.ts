import { randomUUID } from 'node:crypto'
import type { MessagingContext } from '../context.js'
import { ValidationError } from '../errors/ValidationError.js'
import { isMessageTime, messageSk } from '../keys/keys.js'
import type { FormattedMessage } from '../table/rows.js'
import type { Participant } from '../types.js'
import type { ClientMessageId } from '../idempotency/ClientMessageId.js'

/**
 * A new message row: the sort key is the send time plus a ULID, so no two messages ever share a key. With a
 * client-chosen id, the time is the id's own, so every retry of the message builds the same key.
 */
export function newMessageRow(
  ctx: MessagingContext,
  messageGroupUuid: string,
  sender: Participant,
  text: string,
  id?: ClientMessageId
): FormattedMessage {
  if (id) return messageRow(messageGroupUuid, sender, text, messageSk(id.createdAt, id.messageId))
  const createdAt = ctx.now()
  // The clock may be the caller's (`now`): a time no ULID can hold is refused here, before the ULID factory, which
  // throws a TypeError for a time before 1970.
  if (!isMessageTime(createdAt)) {
    throw new ValidationError([{ path: 'now', code: 'now_invalid', message: 'must return a Date from 1970 to the end of 9999' }])
  }
  return messageRow(messageGroupUuid, sender, text, messageSk(createdAt, ctx.newUlid(createdAt.getTime())))
}

const messageRow = (messageGroupUuid: string, sender: Participant, text: string, sk: string): FormattedMessage => ({
  message_group_uuid: messageGroupUuid,
  sk,
  message_uuid: randomUUID(),
  message: text,
  user_uuid: sender.uuid,
  user_display_name: sender.displayName,
  user_handle: sender.handle
})
