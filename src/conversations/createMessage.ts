import type { MessagingContext } from '../context.js'
import type { Message, Participant } from '../types.js'
import { Validator } from '../validation/validate.js'
import { assertMember } from './membership.js'
import { newMessageRow } from './newMessageRow.js'
import { validateParticipant } from './validateParticipant.js'
import { invalidate } from '../cache/invalidate.js'
import { messagePk } from '../keys/keys.js'
import { updateSenderRow } from '../inbox/updateSenderRow.js'
import { checkMessageId, type ClientMessageId } from '../idempotency/ClientMessageId.js'
import { putMessageOnce, type StoredMessage } from '../idempotency/putMessageOnce.js'

/**
 * Input of {@link MessagingClient.createMessage} (Pattern C).
 *
 * @example
 * ```ts
 * const message = await messaging.createMessage({
 *   messageGroupUuid,
 *   sender: { uuid: bob.uuid, displayName: 'Bob', handle: 'bob' },
 *   message: 'Hi Alice!',
 *   messageId: ulid() // optional (`import { ulid } from 'ulid'`): chosen once, re-sent unchanged on a retry
 * })
 * ```
 */
export interface CreateMessageInput extends MessageIdField {
  /** The conversation to add to; the sender must take part in it ({@link NotAMemberError} otherwise). */
  messageGroupUuid: string
  /** Who sends it. Stored with the message as it is now. */
  sender: Participant
  /** 1 to 1024 characters after line breaks are normalised and the text trimmed, with a visible character. */
  message: string
}

/**
 * The optional client-chosen id of a send ({@link CreateMessageInput}, {@link CreateMessageGroupInput}).
 *
 * @example
 * ```ts
 * import { ulid } from 'ulid'
 * const send: MessageIdField = { messageId: ulid() } // keep it with the unsent message; re-send it on every retry
 * ```
 */
export interface MessageIdField {
  /**
   * A ULID the client generates once per message and re-sends unchanged on every retry (any case). The message's sort
   * key is built from it (its time, then the id), so a retry stores nothing new and answers with the stored message
   * (same `uuid`, `sortKey`, `createdAt`). The same id with another sender or text in the conversation is a
   * {@link MessageIdConflictError}. Its time may be at most a minute ahead of the server's clock
   * (`message_id_in_future`) and, for a message not stored yet, at most 5 minutes old (`message_id_expired`);
   * `message_id_invalid` when it is not a ULID. Without it the server's clock and a new ULID are used, as before.
   */
  messageId?: string
}

/**
 * Pattern C: adds a message to an existing conversation. The sender must be a member; the write is conditional, so it
 * can never overwrite another message. With a `messageId`, a retry answers with the message the first attempt stored,
 * and stores nothing. The sender's own conversation row is brought to the message before this returns (unless
 * `updateSenderRow: false`); every other member's row follows through the stream (Pattern D). With a cache, the
 * conversation's pages and the sender's lists are marked stale before this returns (also when a write failed in a way
 * that may have written it).
 */
export async function createMessage(ctx: MessagingContext, input: CreateMessageInput): Promise<Message> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const sender = validateParticipant(check, 'sender', fields.sender)
  const text = check.messageText('message', fields.message)
  const id = checkMessageId(check, 'messageId', fields.messageId, ctx.now())
  check.done()

  await assertMember(ctx, messageGroupUuid, sender.uuid)
  return (await putMessage(ctx, messageGroupUuid, sender, text, id)).message
}

/**
 * The conditional put shared by {@link createMessage} and a conversation that already existed, then the sender's row,
 * then the cache. Its key is new (send time and ULID) and no transaction writes it, so DynamoDB's
 * `TransactionConflictException` for a plain put (which the SDK does not retry) cannot happen here. Stored at most
 * once ({@link putMessageOnce}): an SDK retry after a lost answer, or a client's retry with the same id, answers with the
 * stored message.
 */
export async function putMessage(
  ctx: MessagingContext,
  messageGroupUuid: string,
  sender: Participant,
  text: string,
  id?: ClientMessageId
): Promise<StoredMessage> {
  let rev: number | undefined
  let stored: StoredMessage | undefined
  try {
    stored = await putMessageOnce(ctx, newMessageRow(ctx, messageGroupUuid, sender, text, id), id)
    if (ctx.updateSenderRow) {
      const { sortKey, message, userUuid, displayName, handle } = stored.message
      // Best effort: when it fails, the stream brings the row as it would without it.
      rev = await updateSenderRow(ctx, { messageGroupUuid, sortKey, message, userUuid, displayName, handle }).catch(() => undefined)
    }
    return stored
  } finally {
    const row = rev !== undefined && stored && { userUuid: sender.uuid, sk: messagePk(messageGroupUuid), rev, lastSk: stored.message.sortKey }
    await invalidate(ctx, { conversations: [messageGroupUuid], ...(row ? { rows: [row] } : ctx.updateSenderRow ? { users: [sender.uuid] } : {}) })
  }
}
