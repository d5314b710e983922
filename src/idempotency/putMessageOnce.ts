import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import type { MessagingContext } from '../context.js'
import { MessageIdConflictError } from '../errors/MessageIdConflictError.js'
import { ValidationError } from '../errors/ValidationError.js'
import type { FormattedMessage } from '../table/rows.js'
import { toMessage } from '../table/toMessage.js'
import type { Message } from '../types.js'
import type { ClientMessageId } from './ClientMessageId.js'
import { isSameMessage } from './isSameMessage.js'
import { isConditionFailed } from '../transactions/isConditionFailed.js'

/** A message as stored by a send: `replayed` when an earlier attempt with the same id had stored it. */
export interface StoredMessage {
  readonly message: Message
  readonly replayed: boolean
}

/**
 * Stores `row` at most once. Its key is fixed before the first attempt (a client-chosen id, or the server's time and
 * ULID), so a put refused by its condition means the key is taken, most likely by an earlier attempt of this very send
 * whose answer was lost (a timeout the SDK retried, or a client's retry with the same id). The item there is then read
 * (strongly consistent) and, when it is the same message, answered as the first attempt was. No extra item and no
 * transaction: the message's own key is the idempotency record.
 *
 * @throws {@link MessageIdConflictError} when the key of a client-chosen id holds another message (without an id, the
 *   put's own `ConditionalCheckFailedException`); a `ValidationError` (`message_id_expired`) when the id is too old
 *   for a new message and names none.
 */
export async function putMessageOnce(ctx: MessagingContext, row: FormattedMessage, id?: ClientMessageId): Promise<StoredMessage> {
  const fresh = id?.fresh ?? true
  // Two rounds at most: a put refused by a message deleted before the read finds the key free the second time.
  for (let round = 1; ; round++) {
    let refused: unknown
    if (fresh) {
      try {
        await putNewMessage(ctx, row)
        return { message: toMessage(row), replayed: false }
      } catch (error) {
        if (!isConditionFailed(error) || round > 1) throw error
        refused = error
      }
    }
    const { Item: stored } = await ctx.toolbox.MessageEntity.build(GetItemCommand)
      .key({ message_group_uuid: row.message_group_uuid, sk: row.sk })
      .options({ consistent: true })
      .send()
    if (stored) {
      if (isSameMessage(stored, row)) return { message: toMessage(stored), replayed: true }
      throw id ? new MessageIdConflictError(row.message_group_uuid, id.messageId) : refused
    }
    if (!fresh) {
      throw new ValidationError([
        { path: 'messageId', code: 'message_id_expired', message: 'holds a time too old for a new message (more than 5 minutes ago)' }
      ])
    }
  }
}

/** The conditional put of a new message: it never overwrites one. */
async function putNewMessage(ctx: MessagingContext, row: FormattedMessage): Promise<void> {
  await ctx.toolbox.MessageEntity.build(PutItemCommand)
    .item(row)
    .options({ condition: { attr: 'message_group_uuid', exists: false } })
    .send()
}
