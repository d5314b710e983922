import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../../createStoreContext.js'
import { isMessageSortKey, MESSAGE_SK_FLOOR, messagePk } from '../../keys/keys.js'
import type { LatestMessage } from '../../types.js'

/**
 * A conversation's messages, a page at a time, newest first or oldest first (strongly consistent reads unless
 * `consistent: false`). The conversation's `#` items
 * sort before every message key and are never read; an item that is not a message (its sort key is not a message's,
 * or it has no text) is skipped. Each message comes with its sender's uuid, name and handle when stored.
 */
export async function* conversationMessages(
  store: StoreContext,
  messageGroupUuid: string,
  options: { newestFirst: boolean; pageSize: number; consistent?: boolean }
): AsyncGenerator<LatestMessage> {
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :floor',
        ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': MESSAGE_SK_FLOOR },
        ScanIndexForward: !options.newestFirst,
        ConsistentRead: options.consistent ?? true,
        Limit: options.pageSize,
        ExclusiveStartKey
      })
    )
    for (const item of page.Items ?? []) {
      const message = messageOf(messageGroupUuid, item)
      if (message) yield message
    }
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
}

/** What Pattern D needs of a stored message, or `undefined` when the item is not one. */
function messageOf(messageGroupUuid: string, item: Record<string, unknown>): LatestMessage | undefined {
  if (!isMessageSortKey(item.sk) || typeof item.message !== 'string') return undefined
  return {
    messageGroupUuid,
    sortKey: item.sk as string,
    message: item.message,
    ...(typeof item.user_uuid === 'string' && { userUuid: item.user_uuid }),
    ...(typeof item.user_display_name === 'string' && { displayName: item.user_display_name }),
    ...(typeof item.user_handle === 'string' && { handle: item.user_handle })
  }
}
