import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../createStoreContext.js'
import { MESSAGE_SK_FLOOR, messagePk } from '../keys/keys.js'

/** A conversation's newest message as stored, or `undefined` when it has none: one strongly consistent Query, limit 1. */
export async function readNewestMessage(store: StoreContext, messageGroupUuid: string): Promise<Record<string, unknown> | undefined> {
  const { Items } = await store.documentClient.send(
    new QueryCommand({
      TableName: store.tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :floor', // the floor leaves out the # items
      ExpressionAttributeValues: { ':pk': messagePk(messageGroupUuid), ':floor': MESSAGE_SK_FLOOR },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true
    })
  )
  return Items?.[0]
}
