import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { messageGroupPk } from '../keys/keys.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

/**
 * One owner's rows of one conversation, read strongly consistently from the table itself: what the lagging index
 * cannot say for sure. Reads the owner's whole conversation list (the filter does not lower the cost), so Pattern D
 * uses it only as a last resort.
 */
export async function queryOwnerRows(
  store: StoreContext,
  ownerUuid: string,
  messageGroupUuid: string
): Promise<StoredMessageGroupRow[]> {
  const rows: StoredMessageGroupRow[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :owner',
        FilterExpression: 'message_group_uuid = :g',
        ExpressionAttributeValues: { ':owner': messageGroupPk(ownerUuid), ':g': messageGroupUuid },
        ConsistentRead: true,
        ExclusiveStartKey
      })
    )
    rows.push(...((page.Items ?? []) as StoredMessageGroupRow[]))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return rows
}
