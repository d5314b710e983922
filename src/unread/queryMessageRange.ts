import type { StoreContext } from '../context.js'
import { MESSAGE_PREFIX, MESSAGE_SK_FLOOR } from '../keys/keys.js'
import { queryAllRows } from '../patterns/queryAllRows.js'
import { within, type MessageRange, type MessageRangeBounds } from './messageRange.js'

/**
 * The conversation's messages in `(after, through]`, read strongly consistently (a message whose stream record exists
 * is committed, so it is there), projecting only what the count needs. Every page: a recount may span many messages.
 */
export async function queryMessageRange(store: StoreContext, messageGroupUuid: string, bounds: MessageRangeBounds): Promise<MessageRange> {
  const items = await queryAllRows<Record<string, unknown>>(store, {
    // BETWEEN is inclusive: the message at `after` itself is read and left out below. From the floor, #MEMBERS is not.
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :through',
    ExpressionAttributeValues: { ':pk': `${MESSAGE_PREFIX}${messageGroupUuid}`, ':after': bounds.after ?? MESSAGE_SK_FLOOR, ':through': bounds.through },
    ProjectionExpression: 'sk, user_uuid',
    ConsistentRead: true
  })
  const messages = items.flatMap((item) =>
    typeof item.sk === 'string' && within(item.sk, bounds.after, bounds.through)
      ? [{ sk: item.sk, ...(typeof item.user_uuid === 'string' && { user_uuid: item.user_uuid }) }]
      : []
  )
  return { ...bounds, messages }
}
