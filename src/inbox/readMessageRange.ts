import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { compare } from '../keys/compare.js'
import { MESSAGE_SK_FLOOR, messagePk } from '../keys/keys.js'
import type { MessageRange, MessageRangeBounds, RangeMessage } from './messageRange.js'
import { UNREAD_COUNT_CAP } from './readState.js'

/** Messages per page: twice the count cap, so a recount that reaches the cap usually reads one page. */
const PAGE = 2 * UNREAD_COUNT_CAP

/**
 * The conversation's messages in `(after, through]`, read strongly consistently (a message whose stream record
 * exists is committed, so it is there) and newest first, a page at a time, until `enough(range so far)` says the
 * decision needs no more or the bounds are read. The range returned says how far down it reached.
 */
export async function readMessageRange(
  store: StoreContext,
  messageGroupUuid: string,
  bounds: MessageRangeBounds,
  enough: (range: MessageRange) => boolean
): Promise<MessageRange> {
  const messages: RangeMessage[] = []
  const lower = bounds.after === undefined ? MESSAGE_SK_FLOOR : `${bounds.after} `
  if (compare(lower, bounds.through) > 0) return { ...bounds, messages } // nothing between (DynamoDB refuses such a BETWEEN)
  let ExclusiveStartKey: Record<string, unknown> | undefined
  for (;;) {
    const { Items = [], LastEvaluatedKey } = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        // BETWEEN is inclusive; `after` + ' ' is the least key above `after` in a message sort key's alphabet (0x20 to
        // 0x7e), so the message at `after`, which the row already shows, is not read (and billed) again. From the
        // floor, # items are not read.
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :after AND :through',
        ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':after': lower, ':through': bounds.through },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: PAGE,
        ExclusiveStartKey
      })
    )
    for (const item of Items) {
      if (typeof item.sk !== 'string' || item.sk === bounds.after) continue
      messages.push({
        sk: item.sk,
        ...(typeof item.user_uuid === 'string' && { user_uuid: item.user_uuid }),
        ...(typeof item.message === 'string' && { message: item.message }),
        ...(typeof item.user_display_name === 'string' && { user_display_name: item.user_display_name }),
        ...(typeof item.user_handle === 'string' && { user_handle: item.user_handle })
      })
    }
    if (!LastEvaluatedKey) return { ...bounds, messages }
    // Everything above the last key read is in: the range so far covers (that key, through].
    const range: MessageRange = { after: String(LastEvaluatedKey.sk), through: bounds.through, messages }
    if (enough(range)) return range
    ExclusiveStartKey = LastEvaluatedKey
  }
}
