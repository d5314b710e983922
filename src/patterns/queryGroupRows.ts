import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { StoreContext } from '../context.js'
import { MESSAGE_GROUP_INDEX } from '../table/tableDefinition.js'
import type { StoredMessageGroupRow } from '../table/rows.js'

/** Every participant's row of one conversation, from the GSI (eventually consistent). */
export async function queryGroupRows(ctx: StoreContext, messageGroupUuid: string): Promise<StoredMessageGroupRow[]> {
  const rows: StoredMessageGroupRow[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await ctx.documentClient.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: MESSAGE_GROUP_INDEX,
        KeyConditionExpression: 'message_group_uuid = :g',
        ExpressionAttributeValues: { ':g': messageGroupUuid },
        ExclusiveStartKey
      })
    )
    rows.push(...((page.Items ?? []) as StoredMessageGroupRow[]))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return rows
}
