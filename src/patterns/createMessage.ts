import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import type { MessagingContext } from '../context.js'
import { toMessage } from '../table/rows.js'
import type { Message, Participant } from '../types.js'
import { Validator } from '../validation/validate.js'
import { assertParticipant } from './membership.js'
import { newMessageRow } from './newMessageRow.js'
import { validateParticipant } from './validateParticipant.js'
import { invalidate } from '../cache/invalidate.js'

/**
 * Input of {@link MessagingClient.createMessage} (Pattern C).
 *
 * @example
 * ```ts
 * const message = await messaging.createMessage({
 *   messageGroupUuid,
 *   sender: { uuid: bob.uuid, displayName: 'Bob', handle: 'bob' },
 *   message: 'Hi Alice!'
 * })
 * ```
 */
export interface CreateMessageInput {
  /** The conversation to add to; the sender must take part in it ({@link NotAMemberError} otherwise). */
  messageGroupUuid: string
  /** Who sends it. Stored with the message as it is now. */
  sender: Participant
  /** 1 to 1024 characters after line breaks are normalised and the text trimmed, with a visible character. */
  message: string
}

/**
 * Pattern C: adds a message to an existing conversation. The sender must be a participant; the write is conditional,
 * so it can never overwrite another message. Each participant's conversation row moves to this message through the
 * stream (Pattern D), not here. With a cache, the conversation's cached pages are marked stale before this returns
 * (also when the put failed in a way that may have written it).
 */
export async function createMessage(ctx: MessagingContext, input: CreateMessageInput): Promise<Message> {
  const check = new Validator()
  const fields = check.object('input', input)
  const messageGroupUuid = check.uuid('messageGroupUuid', fields.messageGroupUuid)
  const sender = validateParticipant(check, 'sender', fields.sender)
  const text = check.messageText('message', fields.message)
  check.done()

  await assertParticipant(ctx, messageGroupUuid, sender.uuid)
  try {
    return await putMessage(ctx, messageGroupUuid, sender, text)
  } finally {
    await invalidate(ctx, { conversations: [messageGroupUuid] })
  }
}

/**
 * The conditional put shared by {@link createMessage} and a conversation that already existed. Its key is new (send
 * time and ULID) and no transaction writes it, so DynamoDB's `TransactionConflictException` for a plain put (which the
 * SDK does not retry) cannot happen here.
 */
export async function putMessage(
  ctx: MessagingContext,
  messageGroupUuid: string,
  sender: Participant,
  text: string
): Promise<Message> {
  const row = newMessageRow(ctx, messageGroupUuid, sender, text)
  await ctx.toolbox.MessageEntity.build(PutItemCommand)
    .item(row)
    .options({ condition: { attr: 'message_group_uuid', exists: false } })
    .send()
  return toMessage(row)
}
