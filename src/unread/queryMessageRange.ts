import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { MESSAGE_PREFIX, MESSAGE_SK_FLOOR } from '../keys/keys.js'
import { within, type MessageRange, type MessageRangeBounds, type RangeMessage } from './messageRange.js'

/**
 * The conversation's messages in `(after, through]`, read strongly consistently (a message whose stream record exists
 * is committed, so it is there), projecting only what the count needs. Every page: a recount may span many messages.
 */
export async function queryMessageRange(store: StoreContext, messageGroupUuid: string, bounds: MessageRangeBounds): Promise<MessageRange> {
  const messages: RangeMessage[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        // BETWEEN is inclusive: the message at `after` itself is read and left out below. From the floor, #MEMBERS is not.
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :through',
        ExpressionAttributeValues: { ':pk': `${MESSAGE_PREFIX}${messageGroupUuid}`, ':after': bounds.after ?? MESSAGE_SK_FLOOR, ':through': bounds.through },
        ProjectionExpression: 'sk, user_uuid',
        ConsistentRead: true,
        ExclusiveStartKey
      })
    )
    for (const item of page.Items ?? []) {
      if (typeof item.sk !== 'string' || !within(item.sk, bounds.after, bounds.through)) continue
      messages.push({ sk: item.sk, ...(typeof item.user_uuid === 'string' && { user_uuid: item.user_uuid }) })
    }
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return { ...bounds, messages }
}
